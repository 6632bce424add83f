/**
 * The filter language's syntax tree. It is pure data (JSON-serialisable): the store compiles it to
 * SQL, other back ends (in-memory matching, realtime) may interpret it directly.
 */

/** Comparison operators; the `?` forms are the "any item" variants of the multi-value operators. */
export const FILTER_OPERATORS = [
  '=', '!=', '>', '>=', '<', '<=', '~', '!~',
  '?=', '?!=', '?>', '?>=', '?<', '?<=', '?~', '?!~',
] as const;

export type FilterOperator = (typeof FILTER_OPERATORS)[number];

/** A field path as written, modifiers included (`title`, `rel.name:lower`, `@request.body.tags:each`). */
export interface IdentifierOperand {
  kind: 'identifier';
  name: string;
}

/** A quoted string literal, unescaped. */
export interface TextOperand {
  kind: 'text';
  value: string;
}

export interface NumberOperand {
  kind: 'number';
  value: number;
}

/** `null`, `true` and `false` (case-insensitive keywords). */
export interface KeywordOperand {
  kind: 'keyword';
  value: 'null' | 'true' | 'false';
}

/** A datetime macro such as `@now` or `@todayStart`, resolved at compile time. */
export interface MacroOperand {
  kind: 'macro';
  name: string;
}

/** A function call such as `geoDistance(a, b, c, d)` or `strftime('%Y', created)`. */
export interface FunctionOperand {
  kind: 'function';
  name: string;
  args: FilterOperand[];
}

export type FilterOperand =
  | IdentifierOperand
  | TextOperand
  | NumberOperand
  | KeywordOperand
  | MacroOperand
  | FunctionOperand;

/** `left op right`. */
export interface CompareExpr {
  kind: 'compare';
  op: FilterOperator;
  left: FilterOperand;
  right: FilterOperand;
}

/** Conjunction/disjunction of two or more expressions (`&&` binds tighter than `||`, as in SQL). */
export interface LogicalExpr {
  kind: 'and' | 'or';
  items: FilterExpr[];
}

export type FilterExpr = CompareExpr | LogicalExpr;

/** Returns true when `op` is one of the `?…` any-item operators. */
export function isAnyOperator(op: FilterOperator): boolean {
  return op.startsWith('?');
}
