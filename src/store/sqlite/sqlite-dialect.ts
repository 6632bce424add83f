import type { ColumnKind, Dialect } from '../dialect.js';

const COLUMN_TYPES = {
  text: 'TEXT',
  number: 'NUMERIC',
  bool: 'BOOLEAN',
  json: 'JSON',
} as const satisfies Record<ColumnKind, string>;

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  quote: (identifier) => `\`${identifier.replaceAll('`', '``')}\``,
  columnType: (kind) => COLUMN_TYPES[kind],
  like: (left, right, negate) => `${left} ${negate ? 'NOT LIKE' : 'LIKE'} ${right} ESCAPE '\\'`,
  jsonArrayLength: (expr) => `json_array_length(${expr})`,
  jsonEach: (expr, alias) => `json_each(${expr}) ${alias}`,
  jsonExtract: (expr, path) => `json_extract(${expr}, '${path.replaceAll("'", "''")}')`,
  random: () => 'RANDOM()',
  limitOffset: (limit, offset) => `LIMIT ${Math.trunc(limit)} OFFSET ${Math.trunc(offset)}`,
};
