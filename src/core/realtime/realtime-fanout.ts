import type { CollectionModel, RuleName } from '../collections/collection-model.js';
import type { RecordAction } from '../events/record-events.js';
import { ruleFiltersOrNull } from '../records/record-access.js';
import type { RecordJson } from '../records/record-serializer.js';
import { isSuperuser, type RecordData, type RequestInfo } from '../request-info.js';
import type { RealtimeClient } from './realtime-client.js';
import type { Subscription } from './realtime-subscriptions.js';

/**
 * The records service functions realtime uses: the same rule checks and serialization as every
 * other transport (RecordService satisfies it). Realtime never evaluates a rule itself: a record
 * that can no longer be queried gets the same access check (record-access.ts) without a query.
 */
export interface RealtimeRecords {
  passesRule(collection: CollectionModel, record: RecordData, request: RequestInfo, rule: RuleName): Promise<boolean>;
  matchesFilter(collection: CollectionModel, record: RecordData, request: RequestInfo, filter: string): Promise<boolean>;
  serialize(collection: CollectionModel, record: RecordData, request: RequestInfo, params?: { expand?: string; fields?: string }): Promise<RecordJson>;
}

/** A subscription that an event may reach, with the rule that guards it. */
export interface Target {
  client: RealtimeClient;
  sub: Subscription;
  rule: RuleName;
}

/** One message ready to go. */
export interface Delivery {
  client: RealtimeClient;
  name: string;
  data: string;
}

/**
 * The topics an event on `record` reaches and the rule of each, as PocketBase maps them:
 * `name/id` and `collectionId/id` use the view rule, `name/*`, `collectionId/*` and the legacy
 * bare `name`/`collectionId` the list rule.
 */
export function topicsFor(collection: CollectionModel, recordId: string): Array<[string, RuleName]> {
  return [
    [`${collection.name}/${recordId}`, 'viewRule'],
    [`${collection.id}/${recordId}`, 'viewRule'],
    [`${collection.name}/*`, 'listRule'],
    [`${collection.id}/*`, 'listRule'],
    [collection.name, 'listRule'],
    [collection.id, 'listRule'],
  ];
}

/** What rules see of a subscriber: its bound auth and its subscription's options. */
function subscriberRequest(client: RealtimeClient, sub: Subscription): RequestInfo {
  return {
    auth: client.auth, method: 'GET', body: {}, context: 'realtime',
    query: sub.options.query, headers: sub.options.headers,
  };
}

function authKey(client: RealtimeClient): string {
  const auth = client.auth;
  return auth ? `${auth.collection.id}/${auth.record.id}` : '';
}

/**
 * Checks and serializes one event for every target. Subscribers that would see exactly the same
 * thing (same auth, rule and options) share one check and one serialization, so ten thousand
 * guests cost one query, not ten thousand. With `dbChecks` false (the record is gone and cannot be
 * queried), only superusers and public rules without a filter pass.
 */
export async function buildDeliveries(
  records: RealtimeRecords,
  action: RecordAction,
  collection: CollectionModel,
  record: RecordData,
  targets: readonly Target[],
  dbChecks = true,
): Promise<Delivery[]> {
  const results = new Map<string, Promise<string | null>>();
  const keyed: Array<[Target, string]> = [];
  for (const target of targets) {
    if (target.client.closed) continue;
    const key = `${authKey(target.client)}\u0000${target.rule}\u0000${target.sub.optionsKey}`;
    keyed.push([target, key]);
    if (!results.has(key)) {
      const request = subscriberRequest(target.client, target.sub);
      results.set(key, evaluate(records, action, collection, record, request, target.rule, dbChecks));
    }
  }
  const out: Delivery[] = [];
  for (const [target, key] of keyed) {
    const data = await results.get(key);
    if (data !== null && data !== undefined) out.push({ client: target.client, name: target.sub.raw, data });
  }
  return out;
}

async function evaluate(
  records: RealtimeRecords,
  action: RecordAction,
  collection: CollectionModel,
  record: RecordData,
  request: RequestInfo,
  rule: RuleName,
  dbChecks: boolean,
): Promise<string | null> {
  try {
    const filter = request.query['filter'] ?? '';
    if (dbChecks) {
      if (!(await records.passesRule(collection, record, request, rule))) return null;
      if (filter !== '' && !(await records.matchesFilter(collection, record, request, filter))) return null;
    } else {
      // no query possible: the same access check, passing only where it needs no filter
      const filters = ruleFiltersOrNull(collection, rule, request);
      if (filters === null || (!isSuperuser(request) && (filters.length > 0 || filter !== ''))) return null;
    }
    const json = await records.serialize(collection, record, request, {
      expand: request.query['expand'] || undefined,
      fields: request.query['fields'] || undefined,
    });
    return JSON.stringify({ record: json, action });
  } catch {
    return null; // a failing check or expand never reaches the subscriber (PocketBase logs it)
  }
}
