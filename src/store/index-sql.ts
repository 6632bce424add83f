import { isIndexExpression, type IndexColumn } from '../core/collections/index-parser.js';

/**
 * Rewrites the identifiers of a SQLite-flavoured expression (an index column expression or an
 * index `WHERE`) for another dialect: `` `x` ``, `"x"` and `[x]` become `quote(x)`, and bare words
 * naming a column (case-insensitively, not followed by `(`) are quoted with the column's exact
 * name, so that PostgreSQL does not fold `tokenKey` to `tokenkey`. String literals are kept.
 * Known columns go through `ref` (e.g. to cast a JSON column to text).
 */
export function requoteExpression(
  expr: string,
  columns: Iterable<string>,
  quote: (id: string) => string,
  ref: (column: string) => string = quote,
): string {
  const byLower = new Map<string, string>();
  for (const c of columns) byLower.set(c.toLowerCase(), c);
  let out = '';
  let i = 0;
  while (i < expr.length) {
    const c = expr[i] ?? '';
    if (c === "'") {
      let j = i + 1;
      while (j < expr.length && !(expr[j] === "'" && expr[j + 1] !== "'")) j += expr[j] === "'" ? 2 : 1;
      out += expr.slice(i, j + 1);
      i = j + 1;
    } else if (c === '`' || c === '"' || c === '[') {
      const close = c === '[' ? ']' : c;
      const end = expr.indexOf(close, i + 1);
      if (end < 0) return out + expr.slice(i);
      const name = expr.slice(i + 1, end);
      const known = byLower.get(name.toLowerCase());
      out += known !== undefined ? ref(known) : quote(name);
      i = end + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(expr.slice(i))?.[0] ?? c;
      const rest = expr.slice(i + word.length);
      const column = byLower.get(word.toLowerCase());
      out += column !== undefined && !/^\s*\(/.test(rest) && expr[i - 1] !== '.' ? ref(column) : word;
      i += word.length;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** The exact column name of an index entry that names a column, or undefined for an expression. */
export function indexColumnName(column: IndexColumn, columns: ReadonlyMap<string, unknown>): string | undefined {
  if (isIndexExpression(column)) return undefined;
  const wanted = column.name.trim().toLowerCase();
  for (const name of columns.keys()) if (name.toLowerCase() === wanted) return name;
  return column.name.trim();
}
