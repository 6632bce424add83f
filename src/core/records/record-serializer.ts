import { API_KEYS_COLLECTION } from '../api-keys/api-key-scopes.js';
import type { CollectionModel, FieldModel } from '../collections/collection-model.js';
import type { RecordData } from '../request-info.js';

/** A record as the API returns it. */
export type RecordJson = Record<string, unknown>;

/** The expanded relations of one record: relation name → one record or a list. */
export type ExpandJson = Record<string, RecordJson | RecordJson[]>;

export interface SerializeOptions {
  /** Show an auth record's `email` even when `emailVisibility` is false. */
  showEmail?: boolean;
  /** Show `hidden: true` fields too (superusers, as PocketBase's `Unhide` of every field). */
  showHidden?: boolean;
  /** Present when an expand was attempted on the record (PocketBase then sends `"expand":{}`). */
  expand?: ExpandJson;
}

/**
 * Hidden fields that stay hidden from superusers too: credentials Plinth keeps in its own system
 * collections (an API key's SHA-256, which the key's holder alone should know). An auth
 * collection's `password` and `tokenKey` are left out separately, as PocketBase does.
 */
const SECRET_FIELDS: Readonly<Record<string, readonly string[]>> = { [API_KEYS_COLLECTION]: ['keyHash'] };

/** Whether `field` (hidden or not) is left out for a caller; `showHidden` is for superusers. */
export function isRedacted(collection: CollectionModel, field: FieldModel, showHidden: boolean): boolean {
  if (!field.hidden) return false;
  return !showHidden || (SECRET_FIELDS[collection.name]?.includes(field.name) ?? false);
}

/**
 * The exact API JSON of a record: `collectionId`, `collectionName`, `id`, then the visible fields
 * in collection order, then `expand`. Hidden fields leave only with `showHidden` (superusers), and
 * secret ones never (see {@link isRedacted}); an auth record's `password` and `tokenKey` never
 * leave, and a password field's value is always `""` (PocketBase exports the plain value, which
 * is gone once saved: never the hash). An auth record's email leaves only when visible to the
 * caller.
 */
export function serializeRecord(collection: CollectionModel, record: RecordData, options: SerializeOptions = {}): RecordJson {
  const out: RecordJson = { collectionId: collection.id, collectionName: collection.name, id: record.id };
  const isAuth = collection.type === 'auth';
  for (const field of collection.fields) {
    if (field.name === 'id' || isRedacted(collection, field, options.showHidden === true)) continue;
    if (isAuth && (field.name === 'password' || field.name === 'tokenKey')) continue;
    if (isAuth && field.name === 'email' && !options.showEmail && record['emailVisibility'] !== true) continue;
    out[field.name] = field.type === 'password' ? '' : record[field.name] ?? null;
  }
  if (options.expand) out['expand'] = options.expand;
  return out;
}
