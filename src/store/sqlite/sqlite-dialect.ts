import { buildIndex } from '../../core/collections/index-parser.js';
import { defaultLiteral, sqlString, valuesRows, type ColumnKind, type Dialect } from '../dialect.js';

const quote = (identifier: string): string => `\`${identifier.replaceAll('`', '``')}\``;

const COLUMN_TYPES = {
  text: 'TEXT',
  number: 'NUMERIC',
  bool: 'BOOLEAN',
  json: 'JSON',
} as const satisfies Record<ColumnKind, string>;

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  quote,
  columnType: (kind) => COLUMN_TYPES[kind],
  like: (left, right, negate) => `${left} ${negate ? 'NOT LIKE' : 'LIKE'} ${right} ESCAPE '\\'`,
  jsonEach: (expr, alias) => `json_each(${expr}) ${alias}`,
  random: () => 'RANDOM()',
  limitOffset: (limit, offset) => `LIMIT ${Math.trunc(limit)} OFFSET ${Math.trunc(offset)}`,
  forUpdate: () => '',
  jsonArrayAgg: (expr) => `json_group_array(${expr})`,
  jsonItems: (expr, alias) => `json_each(CASE WHEN json_valid(${expr}) THEN ${expr} ELSE json_array(${expr}) END) ${alias}`,
  jsonItemCount: (expr) =>
    `json_array_length(CASE WHEN json_valid(${expr}) THEN ${expr} ELSE (CASE WHEN ${expr} = '' OR ${expr} IS NULL THEN json_array() ELSE json_array(${expr}) END) END)`,
  jsonValueAt: (expr, path) =>
    `(CASE WHEN json_valid(${expr}) THEN json_extract(${expr}, ${sqlString(`$${path}`)}) ELSE json_extract(json_object('pb', ${expr}), ${sqlString(`$.pb${path}`)}) END)`,
  concat: (...parts) => `(${parts.join(' || ')})`,
  geoDistance: (lonA, latA, lonB, latB) =>
    `(6371 * acos(cos(radians(${latA})) * cos(radians(${latB})) * cos(radians(${lonB}) - radians(${lonA})) + sin(radians(${latA})) * sin(radians(${latB}))))`,
  strftime: (args) => `strftime(${args.join(', ')})`,
  rowid: (alias) => `${alias}.\`_rowid_\``,
  booleanLiteral: (value) => (value ? '1' : '0'),
  nullSafeEqual: (left, right, negate) => `${left} ${negate ? 'IS NOT' : 'IS'} ${right}`,
  textValue: (expr) => expr,
  jsonComparable: (expr) => expr,
  jsonText: (expr) => expr,
  orderDirection: (desc) => (desc ? 'DESC' : 'ASC'),
  transactionalDdl: true,
  columnDefinition: (spec) => {
    if (spec.primaryKey) return `${COLUMN_TYPES[spec.kind]} PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL`;
    return `${COLUMN_TYPES[spec.kind]} DEFAULT ${defaultLiteral(spec.defaultValue)}${spec.notNull ? ' NOT NULL' : ''}`;
  },
  listTablesSql: () => "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view')",
  tableColumnsSql: (table) => `SELECT name FROM pragma_table_info(${sqlString(table)})`,
  nowDefault: () => "(strftime('%Y-%m-%d %H:%M:%fZ'))",
  // PocketBase's own text, re-rendered in its canonical form
  createIndexSql: ({ index }) => [buildIndex(index)],
  listIndexesSql: () => "SELECT name FROM sqlite_schema WHERE type = 'index' AND lower(tbl_name) = lower(?) AND sql IS NOT NULL",
  indexHelperPrefix: null,
  dropIndexSql: (name) => `DROP INDEX IF EXISTS ${quote(name)}`,
  indexOwnerSql: () => "SELECT tbl_name FROM sqlite_schema WHERE type = 'index' AND lower(name) = lower(?) LIMIT 1",
  insertIgnoreSql: (table, columns, rowCount) =>
    `INSERT OR IGNORE INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES ${valuesRows(columns.length, rowCount)}`,
  upsertSql: (table, columns, key) =>
    `INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES ${valuesRows(columns.length, 1)}`
    + ` ON CONFLICT(${quote(key)}) DO UPDATE SET ${columns.filter((c) => c !== key).map((c) => `${quote(c)} = excluded.${quote(c)}`).join(', ')}`,
};
