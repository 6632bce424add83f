/**
 * The filter language of PocketBase (rules, `?filter=`, `?sort=` fields): lexer, parser, AST and
 * datetime macros. Pure core code: it knows nothing about SQL (see src/store/filter for that).
 *
 * - `parseFilter(text, options?) → FilterExpr | null` — null means "no filter" (blank text).
 * - `FilterExpr`, `FilterOperand`, `FilterOperator` — the AST.
 * - `resolveDatetimeMacro(name, now) → string | number` and `formatDateTime(date)`.
 */
export type {
  CompareExpr, FilterExpr, FilterOperand, FilterOperator, FunctionOperand, IdentifierOperand, KeywordOperand,
  LogicalExpr, MacroOperand, NumberOperand, TextOperand,
} from './filter-ast.js';
export { FILTER_OPERATORS, isAnyOperator } from './filter-ast.js';
export { tokenizeFilter, type FilterToken } from './filter-lexer.js';
export { parseFilter, type ParseFilterOptions } from './filter-parser.js';
export { formatFilter, formatOperand } from './filter-format.js';
export {
  DATETIME_MACROS, formatDateTime, isDatetimeMacro, resolveDatetimeMacro, type DatetimeMacro,
} from './datetime-macros.js';
