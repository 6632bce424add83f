import type { Frag } from './sql-fragment.js';
import { raw } from './sql-fragment.js';

/**
 * How NULL and `''` are reconciled in `=`/`!=` (PocketBase's NullFallbackPreference): `auto`
 * treats them as equal, `disabled` compares with plain `IS`/`IS NOT` (JSON values, functions),
 * `enforced` never assumes the operand is non-empty.
 */
export type NullFallback = 'auto' | 'disabled' | 'enforced';

/** The items of a multi-valued path, one row per item: `SELECT <value> <from>`. */
export interface MultiMatch {
  value: Frag;
  /** `FROM <base> <alias> LEFT JOIN … WHERE <alias>.id = <base row>.id`. */
  from: Frag;
}

/** A resolved operand (PocketBase's ResolverResult). */
export interface Operand {
  expr: Frag;
  nullFallback: NullFallback;
  /** Set for multi-valued paths: the plain operators then require every item to match. */
  multi?: MultiMatch;
  /** Set for `Dialect.jsonValueAt` results: the other side goes through `jsonComparable`. */
  json?: boolean;
  /** Wraps the whole comparison (e.g. the auth `emailVisibility` guard). */
  afterBuild?: (expr: Frag) => Frag;
}

export const operand = (expr: Frag, nullFallback: NullFallback = 'auto'): Operand => ({ expr, nullFallback });
export const NULL_OPERAND: Operand = operand(raw('NULL'));
export const TRUE_OPERAND: Operand = operand(raw('TRUE'));
export const FALSE_OPERAND: Operand = operand(raw('FALSE'));
