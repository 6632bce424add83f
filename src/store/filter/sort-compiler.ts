import { errors } from '../../core/errors/plinth-error.js';
import type { CompiledSql } from './filter-compiler.js';
import { innerAlias, rowSubquery } from './filter-compiler.js';
import { FilterScope, type FilterContext } from './filter-scope.js';
import { resolveIdentifier } from './request-field-resolver.js';
import { frag, joinFrags, raw, type Frag } from './sql-fragment.js';

/** PocketBase's limit of sort fields in one `?sort=`. */
export const MAX_SORT_FIELDS = 8;

const invalidSort = (name: string): never => {
  throw errors.badRequest(`Invalid sort field "${name}".`);
};

/**
 * Compiles `?sort=` text (`-created,+title,author.name,@random,@rowid`) into an ORDER BY list for
 * `<collection table> <ctx.tableAlias>`; empty text compiles to an empty string. A field reached
 * through relations is a correlated scalar subquery (MIN of the values for ASC, MAX for DESC), so
 * the outer query never needs joins. Hidden fields follow `allowHiddenFields` as in filters.
 */
export function compileSort(sortText: string, ctx: FilterContext): CompiledSql {
  const items = sortText.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length > MAX_SORT_FIELDS) {
    throw errors.badRequest(`Too many sort fields (max ${MAX_SORT_FIELDS}).`);
  }
  const parts = items.map((item) => compileSortItem(item, ctx));
  const joined = joinFrags(parts, ', ');
  return { sql: joined.sql, params: [...joined.params] };
}

function compileSortItem(item: string, ctx: FilterContext): Frag {
  let name = item;
  let desc = false;
  if (name.startsWith('-')) {
    desc = true;
    name = name.slice(1);
  } else if (name.startsWith('+')) {
    name = name.slice(1);
  }
  const direction = ctx.dialect.orderDirection(desc);
  if (name === '@random') return raw(ctx.dialect.random());
  if (name === '@rowid') {
    const rowid = ctx.dialect.rowid(ctx.dialect.quote(ctx.tableAlias));
    return rowid ? raw(`${rowid} ${direction}`) : invalidSort(name);
  }
  const direct = FilterScope.root(ctx, ctx.tableAlias);
  const resolved = resolveIdentifier(direct, name);
  const sql = resolved.expr.sql.trim().toLowerCase();
  if (resolved.expr.params.length > 0 || sql === '' || sql === 'null') invalidSort(name);
  if (direct.joins.length === 0) return frag`${resolved.expr} ${raw(direction)}`;
  const inner = FilterScope.root(ctx, innerAlias(ctx));
  const value = resolveIdentifier(inner, name).expr;
  const aggregate = raw(desc ? 'MAX' : 'MIN');
  return frag`(${rowSubquery(inner, frag`${aggregate}(${value})`, raw('1=1'))}) ${raw(direction)}`;
}
