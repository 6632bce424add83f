import { createHash } from 'node:crypto';
import { defaultLiteral, sqlString as literal, valuesRows, type ColumnKind, type Dialect, type IndexSpec } from '../dialect.js';
import { indexColumnName, requoteExpression } from '../index-sql.js';
import { mysqlStrftime } from './mysql-strftime.js';

/**
 * MySQL 8 / MariaDB 10.6+'s half of the SQL contract. Choices:
 *
 * - Identifiers in backticks, strings in single quotes, so ANSI_QUOTES does not matter; MysqlDb
 *   sets NO_BACKSLASH_ESCAPES so that `ESCAPE '\'` means what it means elsewhere.
 * - Text is `LONGTEXT` in utf8mb4_bin (case-sensitive, byte order, like SQLite's BINARY); the
 *   primary key is `VARCHAR(255)` because MySQL cannot index a whole LONGTEXT.
 * - JSON kinds are `JSON` (MariaDB: LONGTEXT with a JSON_VALID check, text kept as written;
 *   MySQL 8: a binary JSON type that normalises key order). JSON values are read with
 *   JSON_EXTRACT + JSON_UNQUOTE: text, compared by MySQL's implicit conversions (`'2' > 1` is
 *   numeric), so `jsonComparable` is a no-op. JSON booleans come back as `true`/`false` text.
 * - Multi-value items via JSON_TABLE (MySQL 8.0.4+, MariaDB 10.6+).
 * - LIKE lower-cases both sides with LOWER(), which folds non-ASCII letters too (SQLite folds
 *   ASCII only); MySQL has no cheap ASCII-only fold.
 * - No rowid: `@rowid` sorts by `id`. NULLs already sort first ascending, as in SQLite.
 */
const COLUMN_TYPES = {
  text: 'LONGTEXT',
  number: 'DOUBLE',
  bool: 'BOOLEAN',
  json: 'JSON',
} as const satisfies Record<ColumnKind, string>;

const quote = (identifier: string): string => `\`${identifier.replaceAll('`', '``')}\``;
const BIN = 'CHARACTER SET utf8mb4 COLLATE utf8mb4_bin';
const ITEM_COLUMN = `COLUMNS (\`value\` LONGTEXT ${BIN} PATH '$')`;

/** A JSON array of the items of `expr`: JSON array text as is, anything else as a one-item array. */
const itemsArray = (expr: string): string =>
  `(CASE WHEN ${expr} IS NULL THEN JSON_ARRAY(NULL) WHEN NOT JSON_VALID(${expr}) THEN JSON_ARRAY(${expr})`
  + ` WHEN JSON_TYPE(${expr}) = 'ARRAY' THEN ${expr} ELSE JSON_ARRAY(${expr}) END)`;

/** JSON_EXTRACT as SQL text: strings unquoted, JSON null as SQL NULL. */
const extractText = (expr: string, path: string): string => {
  const e = `JSON_EXTRACT(${expr}, ${literal(path)})`;
  return `(CASE WHEN JSON_TYPE(${e}) = 'NULL' THEN NULL ELSE JSON_UNQUOTE(${e}) END)`;
};

/** Prefix of the hidden generated columns that emulate partial unique indexes (see createIndex). */
const INDEX_HELPER_PREFIX = '_pbidx_';
/** InnoDB's key limit is 3072 bytes: 768 utf8mb4 characters shared by the prefixed columns. */
const KEY_CHARS = 768;

/**
 * A collection index in MySQL/MariaDB. Limits (documented in docs/choosing-a-database.md):
 * - TEXT/JSON columns are indexed on a prefix (768 characters shared by the index's text
 *   columns), so a UNIQUE index compares that prefix only;
 * - there are no partial indexes: a UNIQUE index with `WHERE` indexes hidden generated columns
 *   (`CASE WHEN where THEN col END`, INVISIBLE, so `SELECT *` never sees them) whose NULLs never
 *   collide; a plain index simply drops its `WHERE`;
 * - `COLLATE` is dropped; expression columns are sent as functional key parts `((expr))`, which
 *   MySQL 8.0.13+ accepts and MariaDB refuses (the collection save then reports the index error).
 */
function createIndex({ index, columns }: IndexSpec): string[] {
  const names = [...columns.keys()];
  const table = quote(index.tableName);
  const entries = index.columns.map((c) => ({ column: c, name: indexColumnName(c, columns) }));
  const prefixed = entries.filter((e) => e.name === undefined || (e.name !== 'id' && columns.get(e.name) !== 'number' && columns.get(e.name) !== 'bool')).length;
  const prefix = Math.max(1, Math.floor(KEY_CHARS / Math.max(1, prefixed)));
  const statements: string[] = [];
  const partial = index.unique && index.where !== '';
  const hash = createHash('sha1').update(index.indexName).digest('hex').slice(0, 12);
  const parts = entries.map(({ column, name }, k) => {
    const kind = name !== undefined ? columns.get(name) : 'text';
    let target = name !== undefined ? quote(name) : `(${requoteExpression(column.name, names, quote)})`;
    let targetKind = kind;
    if (partial) {
      const helper = `${INDEX_HELPER_PREFIX}${hash}_${k}`;
      const type = kind === 'number' ? 'DOUBLE' : kind === 'bool' ? 'BOOLEAN' : `LONGTEXT ${BIN}`;
      const where = requoteExpression(index.where, names, quote);
      statements.push(`ALTER TABLE ${table} ADD COLUMN ${quote(helper)} ${type} AS (CASE WHEN (${where}) THEN ${name !== undefined ? quote(name) : target} END) VIRTUAL INVISIBLE`);
      target = quote(helper);
      targetKind = kind === 'number' || kind === 'bool' ? kind : 'text';
    } else if (name === undefined) {
      return `(${target})${column.sort ? ` ${column.sort}` : ''}`;
    }
    const needsPrefix = name !== 'id' && targetKind !== 'number' && targetKind !== 'bool';
    return `${target}${needsPrefix ? `(${prefix})` : ''}${column.sort ? ` ${column.sort}` : ''}`;
  });
  statements.push(`CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${quote(index.indexName)} ON ${table} (${parts.join(', ')})`);
  return statements;
}

export const mysqlDialect: Dialect = {
  name: 'mysql',
  quote,
  columnType: (kind) => COLUMN_TYPES[kind],
  like: (left, right, negate) => `LOWER(${left}) ${negate ? 'NOT LIKE' : 'LIKE'} LOWER(${right}) ESCAPE '\\'`,
  jsonEach: (expr, alias) => `JSON_TABLE(${expr}, '$[*]' ${ITEM_COLUMN}) ${alias}`,
  random: () => 'RAND()',
  limitOffset: (limit, offset) => `LIMIT ${Math.trunc(limit)} OFFSET ${Math.trunc(offset)}`,
  forUpdate: () => ' FOR UPDATE',
  jsonArrayAgg: (expr) => `JSON_ARRAYAGG(${expr})`,
  jsonItems: (expr, alias) => `JSON_TABLE(${itemsArray(expr)}, '$[*]' ${ITEM_COLUMN}) ${alias}`,
  jsonItemCount: (expr) =>
    `(CASE WHEN ${expr} IS NULL OR ${expr} = '' THEN 0 WHEN NOT JSON_VALID(${expr}) THEN 1`
    + ` WHEN JSON_TYPE(${expr}) = 'ARRAY' THEN JSON_LENGTH(${expr}) ELSE 0 END)`,
  jsonValueAt: (expr, path) =>
    `(CASE WHEN JSON_VALID(${expr}) THEN ${extractText(expr, `$${path}`)} ELSE ${path === '' ? expr : 'NULL'} END)`,
  concat: (...parts) => `CONCAT(${parts.join(', ')})`,
  geoDistance: (lonA, latA, lonB, latB) => {
    const [x1, y1, x2, y2] = [lonA, latA, lonB, latB].map((e) => `RADIANS(CAST(${e} AS DOUBLE))`);
    return `(6371 * ACOS(LEAST(1, GREATEST(-1, COS(${y1}) * COS(${y2}) * COS(${x2} - ${x1}) + SIN(${y1}) * SIN(${y2})))))`;
  },
  strftime: (args) => mysqlStrftime(args),
  rowid: (alias) => `${alias}.${quote('id')}`,
  booleanLiteral: (value) => (value ? 'TRUE' : 'FALSE'),
  nullSafeEqual: (left, right, negate) => (negate ? `NOT (${left} <=> ${right})` : `(${left} <=> ${right})`),
  textValue: (expr) => `CAST(${expr} AS CHAR)`,
  jsonComparable: (expr) => expr,
  jsonText: (expr) => expr,
  orderDirection: (desc) => (desc ? 'DESC' : 'ASC'),
  // every DDL statement commits the open transaction implicitly
  transactionalDdl: false,
  columnDefinition: (spec) => {
    if (spec.primaryKey) {
      return `VARCHAR(255) ${BIN} NOT NULL DEFAULT (CONCAT('r', SUBSTRING(MD5(RAND()), 1, 14))) PRIMARY KEY`;
    }
    const type = spec.kind === 'text' ? `LONGTEXT ${BIN}` : COLUMN_TYPES[spec.kind];
    // MySQL accepts a TEXT default only as an expression
    return `${type} DEFAULT ${defaultLiteral(spec.defaultValue, (text) => `(${literal(text)})`)}${spec.notNull ? ' NOT NULL' : ''}`;
  },
  listTablesSql: () => 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()',
  tableColumnsSql: (table) =>
    `SELECT column_name AS name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ${literal(table)} ORDER BY ordinal_position`,
  nowDefault: () => "(CONCAT(LEFT(DATE_FORMAT(UTC_TIMESTAMP(3), '%Y-%m-%d %H:%i:%s.%f'), 23), 'Z'))",
  createIndexSql: createIndex,
  listIndexesSql: () =>
    "SELECT DISTINCT index_name AS name FROM information_schema.statistics WHERE table_schema = DATABASE() AND lower(table_name) = lower(?) AND index_name <> 'PRIMARY'",
  indexHelperPrefix: INDEX_HELPER_PREFIX,
  dropIndexSql: (name, table) => `DROP INDEX ${quote(name)} ON ${quote(table)}`,
  indexOwnerSql: () =>
    'SELECT table_name AS tbl_name FROM information_schema.statistics WHERE table_schema = DATABASE() AND lower(index_name) = lower(?) LIMIT 1',
  // ON DUPLICATE KEY, not INSERT IGNORE: IGNORE would also turn bad values into warnings
  insertIgnoreSql: (table, columns, rowCount) =>
    `INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES ${valuesRows(columns.length, rowCount)}`
    + ` ON DUPLICATE KEY UPDATE ${quote(columns[0] ?? 'id')} = ${quote(columns[0] ?? 'id')}`,
  upsertSql: (table, columns, key) =>
    `INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES ${valuesRows(columns.length, 1)}`
    + ` ON DUPLICATE KEY UPDATE ${columns.filter((c) => c !== key).map((c) => `${quote(c)} = VALUES(${quote(c)})`).join(', ')}`,
};
