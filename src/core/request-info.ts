import type { CollectionModel } from './collections/collection-model.js';

/** A record as the core handles it: API-shaped values keyed by field name, always with `id`. */
export type RecordData = Record<string, unknown> & { id: string };

/** The authenticated caller, resolved from the request's token. */
export interface AuthState {
  record: RecordData;
  collection: CollectionModel;
}

/**
 * What rules can see of a request through `@request.*`. Transports build it; the core never reads
 * transport objects. Header names are lower-case with `-` replaced by `_`, as in PocketBase.
 */
export interface RequestInfo {
  auth: AuthState | null;
  method: string;
  headers: Record<string, string>;
  query: Record<string, string>;
  body: Record<string, unknown>;
  /** `default`, `expand`, `realtime`, `protectedFile`, `oauth2`, `batch`… */
  context: string;
  /** The client's address (socket, or a trusted proxy header); set by transports that know it. */
  realIp?: string;
}

export const SUPERUSERS_COLLECTION = '_superusers';

export function isSuperuser(info: Pick<RequestInfo, 'auth'> | null | undefined): boolean {
  return info?.auth?.collection.name === SUPERUSERS_COLLECTION;
}

export function guestRequest(overrides: Partial<RequestInfo> = {}): RequestInfo {
  return { auth: null, method: 'GET', headers: {}, query: {}, body: {}, context: 'default', ...overrides };
}
