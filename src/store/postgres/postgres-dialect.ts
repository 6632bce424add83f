import { defaultLiteral, sqlString as literal, valuesRows, type ColumnKind, type Dialect, type IndexSpec } from '../dialect.js';
import { indexColumnName, requoteExpression } from '../index-sql.js';
import { postgresStrftime } from './postgres-strftime.js';

/**
 * PostgreSQL's half of the SQL contract. Choices (see docs and the report in the store's README):
 *
 * - JSON kinds are `JSON` columns, not `JSONB`: `json` keeps the exact text PocketBase stores and
 *   serves (key order, spacing), so `~` over a multi-value column matches the same text as on
 *   SQLite and a copied data directory round-trips byte for byte. Every JSON operation converts
 *   with `to_jsonb(x)`, which also accepts a plain TEXT column (a single select/relation) as a JSON
 *   string — the same "JSON text or plain scalar" polymorphism SQLite gets from `json_valid`.
 * - Numbers are `DOUBLE PRECISION` (PocketBase numbers are float64; `float8` comes back as a JS
 *   number), booleans `BOOLEAN` (read back as 1/0 by PostgresDb, like SQLite).
 * - Text columns are `TEXT COLLATE "C"`: byte order and case-sensitive equality, like SQLite's
 *   BINARY collation.
 * - LIKE folds ASCII letters only (`translate`), exactly as SQLite's LIKE; ILIKE would fold all of
 *   Unicode.
 * - There is no rowid: `@rowid` sorts by `id`.
 * - ORDER BY puts NULLs first ascending and last descending, as SQLite does.
 */
const COLUMN_TYPES = {
  text: 'TEXT',
  number: 'DOUBLE PRECISION',
  bool: 'BOOLEAN',
  json: 'JSON',
} as const satisfies Record<ColumnKind, string>;

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = UPPER.toLowerCase();

const quote = (identifier: string): string => `"${identifier.replaceAll('"', '""')}"`;
const asText = (expr: string): string => `CAST(${expr} AS TEXT)`;
const asciiLower = (expr: string): string => `translate(${asText(expr)}, '${UPPER}', '${LOWER}')`;
const asFloat = (expr: string): string => `CAST(${asText(expr)} AS DOUBLE PRECISION)`;
const jsonbOfText = (expr: string): string => `CAST(${asText(expr)} AS JSONB)`;

/** `.a.b[0]` / `$.a.b[0]` → a PostgreSQL text-array path literal `'{a,b,0}'`. */
function pgJsonPath(path: string): string {
  const keys = path.replace(/^\$/, '').split(/[.[\]]/).filter((k) => k !== '');
  return literal(`{${keys.map((k) => `"${k.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`);
}

/** The JSON value of an expression holding JSON (`json`/`jsonb`) or a plain scalar. */
const toJsonb = (expr: string): string => `to_jsonb(${expr})`;

/**
 * A collection index in PostgreSQL: identifiers re-quoted (PostgreSQL folds bare names to lower
 * case), expressions in parentheses, `COLLATE NOCASE` as `lower(col)`, other SQLite collations
 * dropped, and JSON columns indexed and compared as text (`json` has no btree operator class).
 */
function createIndex({ index, columns }: IndexSpec): string[] {
  const ref = (name: string): string => (columns.get(name) === 'json' ? `CAST(${quote(name)} AS TEXT)` : quote(name));
  const names = [...columns.keys()];
  const parts = index.columns.map((c) => {
    const name = indexColumnName(c, columns);
    const nocase = c.collate.toLowerCase() === 'nocase';
    let part: string;
    if (name !== undefined && columns.get(name) !== 'json' && !nocase) part = quote(name);
    else {
      const expr = name !== undefined ? ref(name) : requoteExpression(c.name, names, quote, ref);
      part = nocase ? `(lower(${expr}))` : `(${expr})`;
    }
    return c.sort ? `${part} ${c.sort}` : part;
  });
  const where = index.where ? ` WHERE ${requoteExpression(index.where, names, quote, ref)}` : '';
  return [`CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${index.optional ? 'IF NOT EXISTS ' : ''}${quote(index.indexName)} ON ${quote(index.tableName)} (${parts.join(', ')})${where}`];
}

export const postgresDialect: Dialect = {
  name: 'postgres',
  quote,
  columnType: (kind) => COLUMN_TYPES[kind],
  like: (left, right, negate) => `${asciiLower(left)} ${negate ? 'NOT LIKE' : 'LIKE'} ${asciiLower(right)} ESCAPE '\\'`,
  jsonEach: (expr, alias) => `jsonb_array_elements_text(${jsonbOfText(expr)}) ${alias}`,
  random: () => 'random()',
  limitOffset: (limit, offset) => `LIMIT ${Math.trunc(limit)} OFFSET ${Math.trunc(offset)}`,
  forUpdate: () => ' FOR UPDATE',
  jsonArrayAgg: (expr) => `json_agg(${expr})::text`,
  jsonItems: (expr, alias) => {
    const j = toJsonb(expr);
    return `jsonb_array_elements_text(CASE WHEN jsonb_typeof(${j}) = 'array' THEN ${j} ELSE jsonb_build_array(${expr}) END) ${alias}`;
  },
  jsonItemCount: (expr) => {
    const j = toJsonb(expr);
    return `(CASE WHEN ${expr} IS NULL THEN 0 WHEN jsonb_typeof(${j}) = 'array' THEN jsonb_array_length(${j})`
      + ` WHEN jsonb_typeof(${j}) = 'string' AND ${j} <> '""'::jsonb THEN 1 ELSE 0 END)`;
  },
  jsonValueAt: (expr, path) => {
    const value = path === '' ? toJsonb(expr) : `(${toJsonb(expr)} #> ${pgJsonPath(path)})`;
    return `NULLIF(${value}, 'null'::jsonb)`;
  },
  concat: (...parts) => `(${parts.map(asText).join(' || ')})`,
  geoDistance: (lonA, latA, lonB, latB) => {
    const [x1, y1, x2, y2] = [lonA, latA, lonB, latB].map((e) => `radians(${asFloat(e)})`);
    return `(6371 * acos(LEAST(1, GREATEST(-1, cos(${y1}) * cos(${y2}) * cos(${x2} - ${x1}) + sin(${y1}) * sin(${y2})))))`;
  },
  strftime: (args) => postgresStrftime(args),
  rowid: (alias) => `${alias}.${quote('id')}`,
  booleanLiteral: (value) => (value ? 'TRUE' : 'FALSE'),
  nullSafeEqual: (left, right, negate) => `(${left} IS ${negate ? '' : 'NOT '}DISTINCT FROM ${right})`,
  textValue: (expr) => asText(expr),
  jsonComparable: (expr, hint) => {
    switch (hint) {
      case 'number':
        return `to_jsonb(CAST(${expr} AS DOUBLE PRECISION))`;
      case 'boolean':
        return `to_jsonb(CAST(${expr} AS BOOLEAN))`;
      case 'string':
        return `to_jsonb(${asText(expr)})`;
      default:
        return toJsonb(expr);
    }
  },
  jsonText: (expr) => `(${expr} #>> '{}')`,
  orderDirection: (desc) => (desc ? 'DESC NULLS LAST' : 'ASC NULLS FIRST'),
  transactionalDdl: true,
  columnDefinition: (spec) => {
    const type = spec.kind === 'text' ? 'TEXT COLLATE "C"' : COLUMN_TYPES[spec.kind];
    if (spec.primaryKey) return `${type} PRIMARY KEY DEFAULT ('r' || substr(md5(random()::text), 1, 14)) NOT NULL`;
    return `${type} DEFAULT ${defaultLiteral(spec.defaultValue)}${spec.notNull ? ' NOT NULL' : ''}`;
  },
  listTablesSql: () => 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()',
  tableColumnsSql: (table) =>
    `SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ${literal(table)} ORDER BY ordinal_position`,
  nowDefault: () => "(to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') || 'Z')",
  createIndexSql: createIndex,
  listIndexesSql: () =>
    'SELECT i.relname AS name FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid'
    + ' JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = current_schema() AND NOT x.indisprimary AND lower(t.relname) = lower(?)',
  indexHelperPrefix: null,
  dropIndexSql: (name) => `DROP INDEX IF EXISTS ${quote(name)}`,
  indexOwnerSql: () =>
    'SELECT tablename AS tbl_name FROM pg_indexes WHERE schemaname = current_schema() AND lower(indexname) = lower(?) LIMIT 1',
  insertIgnoreSql: (table, columns, rowCount) =>
    `INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES ${valuesRows(columns.length, rowCount)} ON CONFLICT DO NOTHING`,
  upsertSql: (table, columns, key) =>
    `INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES ${valuesRows(columns.length, 1)}`
    + ` ON CONFLICT (${quote(key)}) DO UPDATE SET ${columns.filter((c) => c !== key).map((c) => `${quote(c)} = EXCLUDED.${quote(c)}`).join(', ')}`,
};
