import type { FilterOperator } from '../filter/index.js';

/** What one side of a comparison evaluated to for the record and caller (capped, see `truncated`). */
export interface OperandTrace {
  /** The operand as written (`author.name`, `@request.auth.id`, `"draft"`). */
  text: string;
  /** Its value(s): one for a plain field or literal, one per item for a multi-valued path. */
  values: unknown[];
  /** True when there were more values than shown. */
  truncated?: boolean;
}

/** One comparison of a rule, `left op right`, and whether it held. */
export interface CompareTrace {
  kind: 'compare';
  text: string;
  op: FilterOperator;
  passed: boolean;
  left: OperandTrace;
  right: OperandTrace;
}

/** A conjunction or disjunction of clauses, and whether it held. */
export interface LogicalTrace {
  kind: 'and' | 'or';
  text: string;
  passed: boolean;
  items: RuleTrace[];
}

/**
 * A rule evaluated clause by clause for one record: the tree mirrors the parsed rule. The root's
 * `passed` is the rule's own SQL, exactly what the API runs; each clause below it is evaluated on
 * its own (for clauses over the same multi-valued relation, the API requires one related row to
 * satisfy them together, so the clauses can each pass while their conjunction fails).
 */
export type RuleTrace = CompareTrace | LogicalTrace;

/** Why a rule tester answer is what it is. */
export type ExplanationReason = 'superuser' | 'public' | 'locked' | 'rule' | 'missing';

/** The rule tester's answer (`POST /api/plinth/rules/explain`). */
export interface RuleExplanation {
  allowed: boolean;
  reason: ExplanationReason;
  /** The collection rule (or the draft) that was checked; null for a locked rule. */
  rule: string | null;
  /** Which rule of the collection: `viewRule`, `options.manageRule`… */
  ruleName: string;
  /** The clause-by-clause evaluation, for `reason: 'rule'`. */
  trace?: RuleTrace;
  /** A sentence for people: why allowed or denied. */
  summary: string;
}
