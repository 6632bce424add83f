import { formatFilter, formatOperand, resolveDatetimeMacro, type FilterExpr, type FilterOperand } from '../../core/filter/index.js';
import type { OperandTrace, RuleTrace } from '../../core/rules/rule-trace.js';
import type { Db, SqlValue } from '../db.js';
import { compileFilter, innerAlias, resolveOperand, rowSubquery } from './filter-compiler.js';
import { FilterScope, type FilterContext } from './filter-scope.js';
import { frag, raw, type Frag } from './sql-fragment.js';

/** The most values shown for one operand (a relation may hold thousands). */
export const MAX_TRACE_VALUES = 20;

/**
 * Evaluates a rule clause by clause for the one row `id` of `ctx.collection` (the rule tester).
 * It reuses the filter compiler, not a second interpreter: every node of the tree is compiled
 * with the same context as the API's query and evaluated as `CASE WHEN (<predicate>) THEN 1 ELSE
 * 0 END` in one SELECT over that row, so the root's verdict is the API's. Each operand's values are
 * then read by a query of their own (a JSON aggregate over the joined rows for relation paths).
 * Returns null when the row does not exist.
 */
export async function traceFilter(db: Db, ctx: FilterContext, expr: FilterExpr, id: string): Promise<RuleTrace | null> {
  const fixed: FilterContext = { ...ctx, now: ctx.now ?? new Date() };
  const nodes: FilterExpr[] = [];
  const walk = (node: FilterExpr): void => {
    nodes.push(node);
    if (node.kind !== 'compare') node.items.forEach(walk);
  };
  walk(expr);

  const q = (name: string) => db.dialect.quote(name);
  const columns: string[] = [];
  const params: SqlValue[] = [];
  nodes.forEach((node, i) => {
    const predicate = compileFilter(node, fixed);
    columns.push(`CASE WHEN (${predicate.sql}) THEN 1 ELSE 0 END AS ${q(`c${i}`)}`);
    params.push(...predicate.params);
  });
  const from = `FROM ${q(fixed.collection.name)} ${q(fixed.tableAlias)} WHERE ${q(fixed.tableAlias)}.${q('id')} = ?`;
  const row = await db.get<Record<string, unknown>>(`SELECT ${columns.join(', ')} ${from}`, [...params, id]);
  if (!row) return null;

  const passed = new Map(nodes.map((node, i) => [node, Number(row[`c${i}`]) === 1]));
  const build = async (node: FilterExpr): Promise<RuleTrace> => {
    if (node.kind === 'compare') {
      const [left, right] = await Promise.all([operandTrace(db, fixed, node.left, from, id), operandTrace(db, fixed, node.right, from, id)]);
      return { kind: 'compare', text: formatFilter(node), op: node.op, passed: passed.get(node) === true, left, right };
    }
    const items: RuleTrace[] = [];
    for (const item of node.items) items.push(await build(item));
    return { kind: node.kind, text: formatFilter(node), passed: passed.get(node) === true, items };
  };
  return build(expr);
}

/** What one operand evaluates to for the row: literals directly, fields and `@…` paths by SQL. */
async function operandTrace(db: Db, ctx: FilterContext, o: FilterOperand, from: string, id: string): Promise<OperandTrace> {
  const text = formatOperand(o);
  switch (o.kind) {
    case 'text':
    case 'number':
      return { text, values: [o.value] };
    case 'keyword':
      return { text, values: [o.value === 'null' ? null : o.value === 'true'] };
    case 'macro':
      return { text, values: [resolveDatetimeMacro(o.name as never, ctx.now ?? new Date())] };
    default:
      break;
  }
  const value = valueSql(db, ctx, o);
  // a bound value (`@request.body.x`, `@request.auth.id`) needs no query
  if (value.kind === 'scalar' && value.frag.sql === '?' && value.frag.params.length === 1) return { text, values: [value.frag.params[0]] };
  const row = await db.get<{ v: unknown }>(`SELECT ${value.frag.sql} AS ${db.dialect.quote('v')} ${from}`, [...value.frag.params, id]);
  const values = value.kind === 'scalar' ? scalarValues(row?.v) : jsonArray(row?.v);
  return values.length > MAX_TRACE_VALUES ? { text, values: values.slice(0, MAX_TRACE_VALUES), truncated: true } : { text, values };
}

/** The SQL of an operand's value(s) over the row: a scalar, or a JSON array of one value per item. */
function valueSql(db: Db, ctx: FilterContext, o: FilterOperand): { kind: 'scalar' | 'items'; frag: Frag } {
  const agg = (f: Frag): Frag => ({ sql: db.dialect.jsonArrayAgg(f.sql), params: f.params });
  const direct = FilterScope.root(ctx, ctx.tableAlias);
  const resolved = resolveOperand(direct, o);
  if (direct.joins.length === 0) {
    if (!resolved.multi) return { kind: 'scalar', frag: resolved.expr };
    return { kind: 'items', frag: frag`(SELECT ${agg(resolved.multi.value)} ${resolved.multi.from})` };
  }
  // a path through joins: one value per joined row, as the row subquery the filter would use
  const inner = FilterScope.root(ctx, innerAlias(ctx));
  const joined = resolveOperand(inner, o);
  if (!joined.multi) return { kind: 'items', frag: frag`(${rowSubquery(inner, agg(joined.expr), raw('1=1'))})` };
  // the items of a multi-valued path are aggregated per joined row: the first row's are shown
  const items = frag`(SELECT ${agg(joined.multi.value)} ${joined.multi.from})`;
  return { kind: 'items', frag: frag`(${rowSubquery(inner, items, raw('1=1'))} ${raw(db.dialect.limitOffset(1, 0))})` };
}

/** A column's value; a multi-valued field's JSON array text (`["a","b"]`) as its items. */
function scalarValues(value: unknown): unknown[] {
  if (typeof value === 'string' && value.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (Array.isArray(parsed)) return parsed;
    } catch {
      // plain text that starts with a bracket
    }
  }
  return [value ?? null];
}

/** A JSON aggregate's result as an array (drivers answer text or an already parsed array). */
function jsonArray(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap((v) => (Array.isArray(v) ? v : [v]));
  if (typeof value !== 'string') return value === null || value === undefined ? [] : [value];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.flatMap((v) => (Array.isArray(v) ? v : [v])) : [parsed];
  } catch {
    return [value];
  }
}
