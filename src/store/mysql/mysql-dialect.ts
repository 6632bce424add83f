import type { ColumnKind, Dialect } from '../dialect.js';
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
const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;
const ITEM_COLUMN = "COLUMNS (`value` LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$')";

/** A JSON array of the items of `expr`: JSON array text as is, anything else as a one-item array. */
const itemsArray = (expr: string): string =>
  `(CASE WHEN ${expr} IS NULL THEN JSON_ARRAY(NULL) WHEN NOT JSON_VALID(${expr}) THEN JSON_ARRAY(${expr})`
  + ` WHEN JSON_TYPE(${expr}) = 'ARRAY' THEN ${expr} ELSE JSON_ARRAY(${expr}) END)`;

/** JSON_EXTRACT as SQL text: strings unquoted, JSON null as SQL NULL. */
const extractText = (expr: string, path: string): string => {
  const e = `JSON_EXTRACT(${expr}, ${literal(path)})`;
  return `(CASE WHEN JSON_TYPE(${e}) = 'NULL' THEN NULL ELSE JSON_UNQUOTE(${e}) END)`;
};

export const mysqlDialect: Dialect = {
  name: 'mysql',
  quote,
  columnType: (kind) => COLUMN_TYPES[kind],
  like: (left, right, negate) => `LOWER(${left}) ${negate ? 'NOT LIKE' : 'LIKE'} LOWER(${right}) ESCAPE '\\'`,
  jsonArrayLength: (expr) => `JSON_LENGTH(${expr})`,
  jsonEach: (expr, alias) => `JSON_TABLE(${expr}, '$[*]' ${ITEM_COLUMN}) ${alias}`,
  jsonExtract: (expr, path) => extractText(expr, path),
  random: () => 'RAND()',
  limitOffset: (limit, offset) => `LIMIT ${Math.trunc(limit)} OFFSET ${Math.trunc(offset)}`,
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
  columnDefinition: (spec) => {
    const bin = 'CHARACTER SET utf8mb4 COLLATE utf8mb4_bin';
    if (spec.primaryKey) {
      return `VARCHAR(255) ${bin} NOT NULL DEFAULT (CONCAT('r', SUBSTRING(MD5(RAND()), 1, 14))) PRIMARY KEY`;
    }
    const type = spec.kind === 'text' ? `LONGTEXT ${bin}` : COLUMN_TYPES[spec.kind];
    const value = spec.defaultValue;
    const def = value === null ? 'NULL'
      : typeof value === 'boolean' ? (value ? 'TRUE' : 'FALSE')
      : typeof value === 'number' ? String(value)
      : `(${literal(value)})`;
    return `${type} DEFAULT ${def}${spec.notNull ? ' NOT NULL' : ''}`;
  },
  listTablesSql: () => 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()',
  tableColumnsSql: (table) =>
    `SELECT column_name AS name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ${literal(table)} ORDER BY ordinal_position`,
};
