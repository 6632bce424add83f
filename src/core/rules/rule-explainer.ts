import type { CollectionModel } from '../collections/collection-model.js';
import type { SchemaRegistry } from '../collections/schema-registry.js';
import { requireSuperuser } from '../auth/superuser-guard.js';
import { errors, fieldError } from '../errors/plinth-error.js';
import { parseFilter } from '../filter/index.js';
import { guestRequest, isSuperuser, type RequestInfo } from '../request-info.js';
import type { RecordService } from '../records/record-service.js';
import type { RuleExplanation } from './rule-trace.js';

/** What the rule tester can check: the five API rules, and an auth collection's two. */
export const EXPLAIN_ACTIONS = ['list', 'view', 'create', 'update', 'delete', 'auth', 'manage'] as const;
export type ExplainAction = (typeof EXPLAIN_ACTIONS)[number];

/** The HTTP method a real request of that action would carry (for `@request.method`). */
const METHODS: Record<ExplainAction, string> = {
  list: 'GET', view: 'GET', create: 'POST', update: 'PATCH', delete: 'DELETE', auth: 'POST', manage: 'PATCH',
};

/** One rule tester question (`POST /api/plinth/rules/explain`), as the page sends it. */
export interface ExplainInput {
  collection?: unknown;
  action?: unknown;
  /** The caller to test as: an auth record, or null/absent for a guest. */
  auth?: unknown;
  /** The record (every action but create). */
  record?: unknown;
  /** The submitted body, for create and update (`@request.body.*`). */
  body?: unknown;
  /** A draft rule to test instead of the saved one (null: locked). */
  rule?: unknown;
}

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/**
 * The rule tester (a Plinth extension; superusers only): would this caller be allowed this action
 * on this record, and why. The access decision is record-access.ts's (superusers bypass, null
 * locks, empty is public); a rule is evaluated by the records store clause by clause with the same
 * SQL as the API (see RecordRepository.traceRule), so the verdict is the API's.
 */
export class RuleExplainer {
  constructor(
    private readonly schema: SchemaRegistry,
    private readonly records: RecordService,
  ) {}

  async explain(caller: Pick<RequestInfo, 'auth'>, input: ExplainInput): Promise<RuleExplanation> {
    requireSuperuser(caller);
    const collection = this.schema.find(text(input.collection));
    if (!collection) throw errors.notFound('Missing collection context.');
    const action = text(input.action) as ExplainAction;
    if (!EXPLAIN_ACTIONS.includes(action)) {
      throw errors.validation({ action: fieldError('validation_invalid_value', `Must be one of ${EXPLAIN_ACTIONS.join(', ')}.`) });
    }
    if ((action === 'auth' || action === 'manage') && collection.type !== 'auth') {
      throw errors.validation({ action: fieldError('validation_invalid_value', 'Only auth collections have this rule.') });
    }
    const body = input.body === undefined || input.body === null ? {} : input.body;
    if (typeof body !== 'object' || Array.isArray(body)) throw errors.validation({ body: fieldError('validation_invalid_value', 'Must be a JSON object.') });
    const request = guestRequest({ auth: await this.#caller(input.auth), method: METHODS[action], body: body as Record<string, unknown> });
    const ruleName = ruleNameOf(action);
    const rule = input.rule === undefined ? savedRule(collection, action) : input.rule === null ? null : String(input.rule);
    const recordId = action === 'create' ? null : text(input.record);
    if (recordId === '') throw errors.validation({ record: fieldError('validation_required', 'Pick a record.') });
    if (recordId !== null && !(await this.records.findById(collection, recordId))) throw errors.notFound('The record was not found.');

    if (isSuperuser(request)) return { allowed: true, reason: 'superuser', rule, ruleName, summary: 'Superusers bypass every rule.' };
    if (rule === null) return { allowed: false, reason: 'locked', rule, ruleName, summary: `The ${ruleName} is locked (null): only superusers may.` };
    const expr = parseFilter(rule);
    if (!expr) return { allowed: true, reason: 'public', rule, ruleName, summary: `The ${ruleName} is empty: everyone may, guests included.` };

    const trace = await this.records.traceRule(collection, expr, request, recordId, body as Record<string, unknown>);
    if (!trace) throw errors.notFound('The record was not found.');
    const failed = trace.kind === 'compare' ? [trace] : trace.items.filter((item) => !item.passed);
    const summary = trace.passed
      ? `The record satisfies the ${ruleName}.`
      : `The record does not satisfy the ${ruleName}: ${failed.map((f) => f.text).join(trace.kind === 'or' ? ' and ' : ', ')} ${failed.length > 1 ? 'fail' : 'fails'}.`;
    return { allowed: trace.passed, reason: 'rule', rule, ruleName, trace, summary };
  }

  /** The auth record to test as; null for a guest. */
  async #caller(auth: unknown): Promise<RequestInfo['auth']> {
    if (auth === undefined || auth === null || auth === '') return null;
    const ref = auth as { collection?: unknown; id?: unknown };
    const collection = this.schema.find(text(ref.collection));
    if (!collection || collection.type !== 'auth') throw errors.notFound('The auth collection was not found.');
    const record = await this.records.findById(collection, text(ref.id));
    if (!record) throw errors.notFound('The auth record was not found.');
    return { collection, record };
  }
}

function ruleNameOf(action: ExplainAction): string {
  return action === 'auth' ? 'authRule' : action === 'manage' ? 'manageRule' : `${action}Rule`;
}

function savedRule(collection: CollectionModel, action: ExplainAction): string | null {
  if (action === 'auth' || action === 'manage') {
    const value = collection.options[ruleNameOf(action)];
    return typeof value === 'string' ? value : null;
  }
  const value = collection[`${action}Rule`];
  return value === undefined ? null : value;
}
