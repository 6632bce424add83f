import { parseFilter, resolveDatetimeMacro, type FilterExpr, type FilterOperand } from '../../core/filter/index.js';
import { errors } from '../../core/errors/plinth-error.js';
import type { SqlValue } from '../db.js';
import { buildCompare } from './compare-builder.js';
import { resolveFunction } from './filter-functions.js';
import { operand, type Operand } from './filter-operand.js';
import { FilterScope, type FilterContext } from './filter-scope.js';
import { joinSql } from './field-path-resolver.js';
import { resolveIdentifier } from './request-field-resolver.js';
import { frag, joinFrags, param, raw, type Frag } from './sql-fragment.js';

/** A compiled SQL fragment with its positional `?` parameters. */
export interface CompiledSql {
  sql: string;
  params: SqlValue[];
}

const toCompiled = (f: Frag): CompiledSql => ({ sql: f.sql, params: [...f.params] });

/**
 * Compiles a filter (AST, or text to parse) into a self-contained WHERE predicate over
 * `<collection table> <ctx.tableAlias>`. Every literal and `@request.*` value is a bound parameter,
 * every identifier is checked against the schema and quoted. Blank filters compile to `1=1`.
 *
 * Rows are never duplicated: a filter on plain columns compiles to plain comparisons; a filter
 * that needs joins (relations, back-relations, `:each`, `@collection`, `@request.auth.<field>`)
 * becomes one correlated `EXISTS (SELECT 1 FROM <table> __pb_row LEFT JOIN … WHERE __pb_row.id =
 * <alias>.id AND <filter>)`, which is exactly PocketBase's LEFT JOIN + DISTINCT query restricted to
 * the current row. Multi-value "all items" checks are nested `NOT EXISTS` subqueries, as in PocketBase.
 */
export function compileFilter(input: FilterExpr | string | null, ctx: FilterContext): CompiledSql {
  const expr = typeof input === 'string' ? parseFilter(input) : input;
  if (!expr) return { sql: '1=1', params: [] };
  const fixed: FilterContext = { ...ctx, now: ctx.now ?? new Date() };
  const direct = FilterScope.root(fixed, fixed.tableAlias);
  const where = compileExpr(direct, expr);
  if (direct.joins.length === 0) return toCompiled(where);
  const inner = FilterScope.root(fixed, innerAlias(fixed));
  const innerWhere = compileExpr(inner, expr);
  return toCompiled(frag`EXISTS (${rowSubquery(inner, raw('1'), innerWhere)})`);
}

/** The alias of the filtered table inside the row subquery. */
export function innerAlias(ctx: FilterContext): string {
  return ctx.tableAlias === '__pb_row' ? '__pb_row2' : '__pb_row';
}

/**
 * `SELECT <select> FROM <table> <inner> LEFT JOIN … WHERE <inner>.id = <outer>.id AND <where>`, with
 * the list rules of the joined collections added (only without `allowHiddenFields`).
 */
export function rowSubquery(scope: FilterScope, select: Frag, where: Frag): Frag {
  const conditions = [where, ...listRuleConstraints(scope)];
  const ctx = scope.ctx;
  const q = (id: string) => scope.q(id);
  const head = raw(`SELECT ${select.sql} FROM ${q(ctx.collection.name)} ${q(scope.baseAlias)}`);
  const correlation = raw(`WHERE ${q(scope.baseAlias)}.${q('id')} = ${q(ctx.tableAlias)}.${q('id')}`);
  const selectFrag: Frag = { sql: head.sql, params: select.params };
  const joins = scope.joins.map(joinSql);
  const conds = conditions.map((c) => frag`(${c})`);
  return joinFrags([selectFrag, ...joins, correlation, ...conds.map((c) => frag`AND ${c}`)], ' ');
}

function listRuleConstraints(scope: FilterScope): Frag[] {
  const out: Frag[] = [];
  for (const [alias, collection] of [...scope.listRuleJoins]) {
    const rule = parseFilter(collection.listRule ?? '');
    if (rule) out.push(compileExpr(scope.child(collection, alias), rule));
  }
  return out;
}

/** Compiles an expression within a scope (joins are registered on the scope). */
export function compileExpr(scope: FilterScope, expr: FilterExpr): Frag {
  if (expr.kind === 'compare') {
    return buildCompare(scope, resolveOperand(scope, expr.left), expr.op, resolveOperand(scope, expr.right));
  }
  const parts = expr.items.map((item) => compileExpr(scope, item));
  return frag`(${joinFrags(parts, expr.kind === 'and' ? ' AND ' : ' OR ')})`;
}

/** Resolves one operand to SQL. */
export function resolveOperand(scope: FilterScope, o: FilterOperand): Operand {
  switch (o.kind) {
    case 'text':
      return operand(param(o.value));
    case 'number':
      if (!Number.isFinite(o.value)) throw errors.badRequest('Invalid filter expression: number out of range.');
      return operand(param(o.value));
    case 'keyword':
      return operand(raw(o.value === 'null' ? 'NULL' : scope.dialect.booleanLiteral(o.value === 'true')));
    case 'macro':
      return operand(param(resolveDatetimeMacro(o.name as never, scope.ctx.now ?? new Date())));
    case 'identifier':
      return resolveIdentifier(scope, o.name);
    case 'function':
      return resolveFunction(scope.dialect, o, (arg) => resolveOperand(scope, arg));
  }
}
