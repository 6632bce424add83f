import type { FilterOperator } from '../../core/filter/index.js';
import type { SqlValue } from '../db.js';
import type { FilterScope } from './filter-scope.js';
import { operand, type MultiMatch, type NullFallback, type Operand } from './filter-operand.js';
import { frag, mapFrags, raw, type Frag } from './sql-fragment.js';

type PlainOperator = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~' | '!~';

const plainOperator = (op: FilterOperator): PlainOperator => (op.startsWith('?') ? op.slice(1) : op) as PlainOperator;

/**
 * Builds `left op right` the way PocketBase's `buildResolversExpr` does: NULL/'' normalisation for
 * `=`/`!=`, contains-LIKE for `~`, and for a multi-valued side with a plain (non-`?`) operator an
 * extra `NOT EXISTS (an item that does not match)` so that every item has to match.
 */
export function buildCompare(scope: FilterScope, left: Operand, op: FilterOperator, right: Operand): Frag {
  const d = scope.dialect;
  const plain = plainOperator(op);
  let expr: Frag;
  switch (plain) {
    case '=':
    case '!=':
      expr = resolveEqual(plain === '=', left, right);
      break;
    case '~':
    case '!~': {
      const negate = plain === '!~';
      if (right.expr.params.length === 0) {
        expr = mapFrags([left.expr, right.expr], ([l = '', r = '']) => d.like(l, d.concat("'%'", r, "'%'"), negate));
      } else {
        const pattern: Frag = { sql: right.expr.sql, params: right.expr.params.map(likePattern) };
        expr = mapFrags([left.expr, pattern], ([l = '', r = '']) => d.like(l, r, negate));
      }
      break;
    }
    default:
      expr = frag`${left.expr} ${raw(plain)} ${right.expr}`;
  }
  if (!op.startsWith('?')) {
    if (left.multi && right.multi) {
      expr = frag`(${expr} AND ${manyVsMany(scope, left, plain, right)})`;
    } else if (left.multi) {
      expr = frag`(${expr} AND ${manyVsOne(scope, left.multi, left.nullFallback, plain, right, false)})`;
    } else if (right.multi) {
      expr = frag`(${expr} AND ${manyVsOne(scope, right.multi, right.nullFallback, plain, left, true)})`;
    }
  }
  if (left.afterBuild) expr = left.afterBuild(expr);
  if (right.afterBuild) expr = right.afterBuild(expr);
  return expr;
}

const EMPTY_IDENTIFIERS: ReadonlySet<string> = new Set(['', 'null', "''", '""', '``']);
const isEmptyIdentifier = (o: Operand): boolean => EMPTY_IDENTIFIERS.has(o.expr.sql.toLowerCase());
const hasEmptyParam = (o: Operand): boolean => o.expr.params.some((p) => p === null || p === '');
const isEmptyOperand = (o: Operand): boolean =>
  isEmptyIdentifier(o) || (o.nullFallback === 'auto' && o.expr.params.length === 1 && hasEmptyParam(o));

function isKnownNonEmpty(o: Operand): boolean {
  if (o.nullFallback === 'enforced') return false;
  if (['1', '0', 'true', 'false'].includes(o.expr.sql.toLowerCase())) return true;
  return o.expr.params.length > 0 && !hasEmptyParam(o) && !isEmptyIdentifier(o);
}

/** `=`/`!=` with PocketBase's NULL-vs-'' equivalence, avoiding COALESCE where it can. */
function resolveEqual(equal: boolean, left: Operand, right: Operand): Frag {
  const eq = raw(equal ? '=' : 'IS NOT');
  const isNull = raw(equal ? 'IS NULL' : 'IS NOT NULL');
  const concat = raw(equal ? 'OR' : 'AND');
  const l = left.expr;
  const r = right.expr;
  if (left.nullFallback === 'disabled' || right.nullFallback === 'disabled') {
    return frag`${l} ${raw(equal ? 'IS' : 'IS NOT')} ${r}`;
  }
  const leftEmpty = isEmptyOperand(left);
  const rightEmpty = isEmptyOperand(right);
  const empty = raw("''");
  if (leftEmpty && rightEmpty) return frag`'' ${eq} ''`;
  if (isKnownNonEmpty(left) || isKnownNonEmpty(right)) {
    return frag`${leftEmpty ? empty : l} ${eq} ${rightEmpty ? empty : r}`;
  }
  if (leftEmpty) return frag`('' ${eq} ${r} ${concat} ${r} ${isNull})`;
  if (rightEmpty) return frag`(${l} ${eq} '' ${concat} ${l} ${isNull})`;
  return frag`COALESCE(${l}, '') ${eq} COALESCE(${r}, '')`;
}

/** A `~` parameter: wrapped in `%…%` (with `\`, `%`, `_` escaped) unless it holds its own `%`. */
export function likePattern(value: SqlValue): SqlValue {
  const text = value === null ? '' : Buffer.isBuffer(value) ? value.toString() : String(value);
  if (containsUnescapedChar(text, '%')) return text;
  return `%${escapeUnescapedChars(text, ['\\', '%', '_'])}%`;
}

function containsUnescapedChar(text: string, ch: string): boolean {
  let prev = '';
  for (const c of text) {
    if (c === ch && prev !== '\\') return true;
    prev = c === '\\' && prev === '\\' ? '' : c;
  }
  return false;
}

function escapeUnescapedChars(text: string, chars: readonly string[]): string {
  const runes = [...text];
  const out: string[] = [];
  let match = false;
  for (let i = runes.length - 1; i >= 0; i--) {
    const c = runes[i] ?? '';
    if (match) {
      if (c !== '\\') out.push('\\');
      match = false;
    } else if (chars.includes(c)) {
      match = true;
    }
    out.push(c);
    if (i === 0 && match) out.push('\\');
  }
  return out.reverse().join('');
}

const MM_VALUE = 'multiMatchValue';

function mmColumn(scope: FilterScope, alias: string): Frag {
  return scope.column(alias, MM_VALUE);
}

function mmSubquery(scope: FilterScope, mm: MultiMatch): Frag {
  return frag`(SELECT ${mm.value} AS ${raw(scope.q(MM_VALUE))} ${mm.from})`;
}

/** Negates an item condition; for operators other than `=` a NULL item (empty relation) also fails. */
function multiMatchAfterBuild(scope: FilterScope, op: PlainOperator, aliases: string[]): (expr: Frag) => Frag {
  return (expr) => {
    const negated = frag`NOT (${expr})`;
    if (op === '=') return negated;
    const nulls = aliases.map((a) => frag`${mmColumn(scope, a)} IS NULL`);
    return frag`(${[negated, ...nulls].reduce((acc, f) => frag`${acc} OR ${f}`)})`;
  };
}

function manyVsOne(
  scope: FilterScope, mm: MultiMatch, nullFallback: NullFallback, op: PlainOperator, other: Operand, inverse: boolean,
): Frag {
  const alias = scope.nextAlias('__sm');
  const item: Operand = { ...operand(mmColumn(scope, alias), nullFallback), afterBuild: multiMatchAfterBuild(scope, op, [alias]) };
  const plainOther = operand(other.expr);
  const where = inverse ? buildCompare(scope, plainOther, op, item) : buildCompare(scope, item, op, plainOther);
  return frag`NOT EXISTS (SELECT 1 FROM ${mmSubquery(scope, mm)} ${raw(scope.q(alias))} WHERE ${where})`;
}

function manyVsMany(scope: FilterScope, left: Operand, op: PlainOperator, right: Operand): Frag {
  if (!left.multi || !right.multi) return raw('0=1');
  const l = scope.nextAlias('__ml');
  const r = scope.nextAlias('__mr');
  const where = buildCompare(
    scope,
    operand(mmColumn(scope, l), left.nullFallback),
    op,
    { ...operand(mmColumn(scope, r), right.nullFallback), afterBuild: multiMatchAfterBuild(scope, op, [l, r]) },
  );
  return frag`NOT EXISTS (SELECT 1 FROM ${mmSubquery(scope, left.multi)} ${raw(scope.q(l))} LEFT JOIN ${mmSubquery(scope, right.multi)} ${raw(scope.q(r))} ON 1=1 WHERE ${where})`;
}
