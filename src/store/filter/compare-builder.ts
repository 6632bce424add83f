import type { FilterOperator } from '../../core/filter/index.js';
import type { SqlValue } from '../db.js';
import type { FilterScope } from './filter-scope.js';
import type { Dialect } from '../dialect.js';
import { operand, type MultiMatch, type Operand } from './filter-operand.js';
import { frag, mapFrag, mapFrags, raw, type Frag } from './sql-fragment.js';

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
  const [l, r] = jsonSides(d, plain, left, right);
  let expr: Frag;
  switch (plain) {
    case '=':
    case '!=':
      expr = resolveEqual(d, plain === '=', l, r);
      break;
    case '~':
    case '!~': {
      const negate = plain === '!~';
      if (r.expr.params.length === 0) {
        expr = mapFrags([l.expr, r.expr], ([a = '', b = '']) => d.like(a, d.concat("'%'", b, "'%'"), negate));
      } else {
        const pattern: Frag = { sql: r.expr.sql, params: r.expr.params.map(likePattern) };
        expr = mapFrags([l.expr, pattern], ([a = '', b = '']) => d.like(a, b, negate));
      }
      break;
    }
    default:
      expr = frag`${l.expr} ${raw(plain)} ${r.expr}`;
  }
  if (!op.startsWith('?')) {
    if (left.multi && right.multi) {
      expr = frag`(${expr} AND ${manyVsMany(scope, left, plain, right)})`;
    } else if (left.multi) {
      expr = frag`(${expr} AND ${manyVsOne(scope, left, plain, right, false)})`;
    } else if (right.multi) {
      expr = frag`(${expr} AND ${manyVsOne(scope, right, plain, left, true)})`;
    }
  }
  if (left.afterBuild) expr = left.afterBuild(expr);
  if (right.afterBuild) expr = right.afterBuild(expr);
  return expr;
}

type JsonHint = Parameters<Dialect['jsonComparable']>[1];

function jsonHint(o: Operand): JsonHint {
  const value = o.expr.params[0];
  if (o.expr.sql !== '?' || o.expr.params.length !== 1) return 'sql';
  return typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'string';
}

/**
 * Dialect typing around `jsonValueAt` results (a no-op on SQLite): for `~` both sides become text,
 * otherwise a non-JSON side (other than a bare NULL) is made comparable with the JSON side.
 */
function jsonSides(d: Dialect, op: PlainOperator, left: Operand, right: Operand): [Operand, Operand] {
  if (!left.json && !right.json) return [left, right];
  const wrap = (o: Operand, build: (sql: string) => string): Operand => ({ ...o, expr: mapFrag(o.expr, build) });
  if (op === '~' || op === '!~') {
    const text = (sql: string) => d.jsonText(sql);
    return [left.json ? wrap(left, text) : left, right.json ? wrap(right, text) : right];
  }
  if (left.json && right.json) return [left, right];
  const comparable = (o: Operand): Operand => {
    if (o.expr.sql.trim().toUpperCase() === 'NULL') return o;
    const hint = jsonHint(o);
    return wrap(o, (sql) => d.jsonComparable(sql, hint));
  };
  return left.json ? [left, comparable(right)] : [comparable(left), right];
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
function resolveEqual(d: Dialect, equal: boolean, left: Operand, right: Operand): Frag {
  const eq = (a: Frag, b: Frag): Frag =>
    (equal ? frag`${a} = ${b}` : mapFrags([a, b], ([x = '', y = '']) => d.nullSafeEqual(x, y, true)));
  const text = (f: Frag): Frag => mapFrag(f, (sql) => d.textValue(sql));
  const isNull = raw(equal ? 'IS NULL' : 'IS NOT NULL');
  const concat = raw(equal ? 'OR' : 'AND');
  const l = left.expr;
  const r = right.expr;
  if (left.nullFallback === 'disabled' || right.nullFallback === 'disabled') {
    return mapFrags([l, r], ([x = '', y = '']) => d.nullSafeEqual(x, y, !equal));
  }
  const leftEmpty = isEmptyOperand(left);
  const rightEmpty = isEmptyOperand(right);
  const empty = raw("''");
  if (leftEmpty && rightEmpty) return eq(empty, empty);
  if (isKnownNonEmpty(left) || isKnownNonEmpty(right)) {
    return eq(leftEmpty ? empty : l, rightEmpty ? empty : r);
  }
  if (leftEmpty) return frag`(${eq(empty, text(r))} ${concat} ${r} ${isNull})`;
  if (rightEmpty) return frag`(${eq(text(l), empty)} ${concat} ${l} ${isNull})`;
  return eq(frag`COALESCE(${text(l)}, '')`, frag`COALESCE(${text(r)}, '')`);
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

/**
 * The item checks are correlated `NOT EXISTS (SELECT 1 FROM … WHERE <row> AND <item fails>)`
 * subqueries over the multi-match FROM clause itself, not over a derived table: MariaDB does not
 * let a derived table see the outer row.
 */

/** Negates an item condition; for operators other than `=` a NULL item (empty relation) also fails. */
function multiMatchAfterBuild(op: PlainOperator, values: Frag[]): (expr: Frag) => Frag {
  return (expr) => {
    const negated = frag`NOT (${expr})`;
    if (op === '=') return negated;
    const nulls = values.map((v) => frag`${v} IS NULL`);
    return frag`(${[negated, ...nulls].reduce((acc, f) => frag`${acc} OR ${f}`)})`;
  };
}

/** `SELECT 1 <from> AND (<where>)`: `from` always ends with its row-correlation WHERE. */
const itemQuery = (mm: MultiMatch, where: Frag): Frag => frag`SELECT 1 ${mm.from} AND (${where})`;

function manyVsOne(scope: FilterScope, many: Operand, op: PlainOperator, other: Operand, inverse: boolean): Frag {
  const mm = many.multi;
  if (!mm) return raw('0=1');
  const item: Operand = { ...operand(mm.value, many.nullFallback), json: many.json, afterBuild: multiMatchAfterBuild(op, [mm.value]) };
  const plainOther = operand(other.expr);
  const where = inverse ? buildCompare(scope, plainOther, op, item) : buildCompare(scope, item, op, plainOther);
  return frag`NOT EXISTS (${itemQuery(mm, where)})`;
}

/** The same multi-match with its `__mm…` aliases renamed, to nest it inside another one. */
function renameAliases(scope: FilterScope, mm: MultiMatch): MultiMatch {
  const open = scope.q('__mm').slice(0, 1);
  const re = new RegExp(`${open.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}__mm`, 'g');
  const rename = (f: Frag): Frag => ({ sql: f.sql.replace(re, `${open}__mr`), params: f.params });
  return { value: rename(mm.value), from: rename(mm.from) };
}

/**
 * Every (left item, right item) pair must match — PocketBase's `LEFT JOIN right ON 1=1`, where an
 * empty right side pairs each left item with NULL.
 */
function manyVsMany(scope: FilterScope, left: Operand, op: PlainOperator, right: Operand): Frag {
  if (!left.multi || !right.multi) return raw('0=1');
  const l = left.multi;
  const r = renameAliases(scope, right.multi);
  const lItem: Operand = { ...operand(l.value, left.nullFallback), json: left.json };
  const rItem = (value: Frag): Operand =>
    ({ ...operand(value, right.nullFallback), json: right.json, afterBuild: multiMatchAfterBuild(op, [l.value, value]) });
  const pair = buildCompare(scope, lItem, op, rItem(r.value));
  const alone = buildCompare(scope, lItem, op, rItem(raw('NULL')));
  const rightEmpty = frag`NOT EXISTS (SELECT 1 ${r.from})`;
  return frag`NOT EXISTS (${itemQuery(l, frag`EXISTS (${itemQuery(r, pair)}) OR (${rightEmpty} AND (${alone}))`)})`;
}
