/**
 * The filter-AST → SQL compiler of the store (PocketBase's filter language; parser in
 * src/core/filter). Everything is emitted through the `Dialect` contract.
 *
 * - `compileFilter(exprOrText, ctx: FilterContext) → { sql, params }` — a self-contained WHERE
 *   predicate for `SELECT … FROM <collection table> <ctx.tableAlias> WHERE <sql>`.
 * - `compileSort(sortText, ctx) → { sql, params }` — an ORDER BY list for the same query.
 * - `FilterContext` — dialect, collection (may be synthetic, e.g. `_collections`), collection
 *   lookup, outer table alias, request (`@request.*`), `allowHiddenFields`, optional clock.
 */
export { compileFilter, type CompiledSql } from './filter-compiler.js';
export { compileSort, MAX_SORT_FIELDS } from './sort-compiler.js';
export type { FilterContext } from './filter-scope.js';
export { MAX_NESTED_RELATIONS } from './field-path-resolver.js';
