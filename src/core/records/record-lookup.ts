/** Record reads for RecordService: by id under rule filters, and the rule-free system lookups. */
import type { CollectionModel } from '../collections/collection-model.js';
import { guestRequest, isSuperuser, type RecordData, type RequestInfo } from '../request-info.js';
import { checkQueryParamsAllowed, manageRule } from './record-access.js';
import type { RecordRepository } from './record-repository.js';
import { rowToRecord } from './record-rows.js';

/** The record `id` when it passes every filter for `request` (hidden fields included); null otherwise. */
export async function findOne(repo: RecordRepository, collection: CollectionModel, id: string, request: RequestInfo, filters: string[]): Promise<RecordData | null> {
  const row = await repo.findOne({
    collection, request, filters, allowHiddenFields: true,
    match: { field: 'id', values: [id], multiple: false },
  });
  return row ? rowToRecord(collection, row) : null;
}

/** Whether `request` may manage record `id` (superuser, or an auth caller passing the manage rule). */
export async function canManage(repo: RecordRepository, collection: CollectionModel, id: string, request: RequestInfo): Promise<boolean> {
  if (isSuperuser(request)) return true;
  const rule = manageRule(collection);
  if (rule === null || rule.trim() === '' || !request.auth) return false;
  return (await findOne(repo, collection, id, request, [rule])) !== null;
}

/** The first record whose `field` equals `value` (case-insensitively when asked); null when none or no such field. */
export async function findFirstByField(repo: RecordRepository, collection: CollectionModel, field: string, value: unknown, options: { caseInsensitive?: boolean } = {}): Promise<RecordData | null> {
  if (!collection.fields.some((f) => f.name === field)) return null;
  const rows = await repo.findByField(collection, field, String(value ?? ''), { caseInsensitive: options.caseInsensitive, limit: 1 });
  const row = rows[0];
  return row ? rowToRecord(collection, row) : null;
}

/** Records matching a rule-free `filter` with `params` as `@request.body` (hidden fields included). */
export async function findAllByFilter(repo: RecordRepository, collection: CollectionModel, filter: string, params: Record<string, unknown>, options: { sort?: string; limit?: number }): Promise<RecordData[]> {
  const rows = await repo.find({
    collection, request: guestRequest({ body: params }), filters: [filter], allowHiddenFields: true,
    sort: options.sort, limit: options.limit,
  });
  return rows.map((row) => rowToRecord(collection, row));
}

/** Whether `record` matches a caller's `?filter=` as a list applies it; bad filters match nothing. */
export async function matchesUserFilter(repo: RecordRepository, collection: CollectionModel, record: RecordData, request: RequestInfo, filter: string): Promise<boolean> {
  try {
    checkQueryParamsAllowed(request, filter, undefined);
    const rows = await repo.find({
      collection, request, userFilter: filter, allowHiddenFields: false, limit: 1,
      match: { field: 'id', values: [record.id], multiple: false },
    });
    return rows.length > 0;
  } catch {
    return false;
  }
}
