import type { CollectionModel } from '../collections/collection-model.js';
import type { RecordData } from '../request-info.js';

/** A record as the API returns it. */
export type RecordJson = Record<string, unknown>;

/** The expanded relations of one record: relation name → one record or a list. */
export type ExpandJson = Record<string, RecordJson | RecordJson[]>;

export interface SerializeOptions {
  /** Show an auth record's `email` even when `emailVisibility` is false. */
  showEmail?: boolean;
  /** Present when an expand was attempted on the record (PocketBase then sends `"expand":{}`). */
  expand?: ExpandJson;
}

/**
 * The exact API JSON of a record: `collectionId`, `collectionName`, `id`, then the visible fields
 * in collection order, then `expand`. Hidden fields (`password`, `tokenKey`…) never leave, and an
 * auth record's email leaves only when visible to the caller.
 */
export function serializeRecord(collection: CollectionModel, record: RecordData, options: SerializeOptions = {}): RecordJson {
  const out: RecordJson = { collectionId: collection.id, collectionName: collection.name, id: record.id };
  const isAuth = collection.type === 'auth';
  for (const field of collection.fields) {
    if (field.name === 'id' || field.hidden) continue;
    if (isAuth && (field.name === 'password' || field.name === 'tokenKey')) continue;
    if (isAuth && field.name === 'email' && !options.showEmail && record['emailVisibility'] !== true) continue;
    out[field.name] = record[field.name] ?? null;
  }
  if (options.expand) out['expand'] = options.expand;
  return out;
}
