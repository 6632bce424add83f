import type { CollectionModel } from '../collections/collection-model.js';
import type { RecordData, RequestInfo } from '../request-info.js';

/**
 * What the auth service needs from the records service: system-level reads (hidden fields
 * included, no rules) and the rule check used for `authRule` and the MFA rule (PocketBase's
 * `CanAccessRecord`: null rule superusers only, empty rule everyone). RecordService satisfies it.
 */
export interface AuthRecordPort {
  findById(collection: CollectionModel, id: string): Promise<RecordData | null>;
  findFirstByField(
    collection: CollectionModel,
    field: string,
    value: unknown,
    options?: { caseInsensitive?: boolean },
  ): Promise<RecordData | null>;
  canAccess(collection: CollectionModel, record: RecordData, request: RequestInfo, rule: string | null): Promise<boolean>;
}

/** An MFA session: the first factor passed, a second one (of another method) is due. */
export interface MfaSession {
  id: string;
  collectionRef: string;
  recordRef: string;
  method: string;
  /** `2006-01-02 15:04:05.000Z` */
  created: string;
}

/** Persistence of MFA sessions (the `_mfas` system collection). */
export interface MfaStore {
  create(session: Omit<MfaSession, 'id' | 'created'>): Promise<MfaSession>;
  find(id: string): Promise<MfaSession | null>;
  delete(id: string): Promise<void>;
}

/** Validated, rule-free writes (MFA sessions, the superuser CLI). RecordService satisfies it. */
export interface AuthRecordWriter {
  createSystem(collection: CollectionModel, data: Record<string, unknown>): Promise<RecordData>;
  updateSystem(collection: CollectionModel, id: string, data: Record<string, unknown>): Promise<RecordData>;
  deleteSystem(collection: CollectionModel, id: string): Promise<void>;
}

/** Multi-field system reads (`_otps`, `_authOrigins`, `_externalAuths`). RecordService satisfies it. */
export interface AuthRecordQuery {
  findAllSystem(
    collection: CollectionModel,
    filter: string,
    params?: Record<string, unknown>,
    options?: { sort?: string; limit?: number },
  ): Promise<RecordData[]>;
}

/** API-level create with the collection's `createRule` (OAuth2 sign-up). RecordService satisfies it. */
export interface AuthRecordCreator {
  create(collectionRef: string, body: Record<string, unknown>, request: RequestInfo): Promise<Record<string, unknown>>;
}

/** Everything the auth flows need from the records service. */
export type AuthRecords = AuthRecordPort & AuthRecordWriter & AuthRecordQuery & AuthRecordCreator;

/**
 * Fixed-window counters for rate limits (PocketBase's `rateLimits` and the OTP attempt limit).
 * The in-memory adapter serves one node; a shared store (Redis) serves a cluster.
 */
export interface RateLimitStore {
  /**
   * Counts one hit on `key` in a window of `windowSeconds`; resolves `true` while the window
   * holds at most `max` hits, `false` once the limit is exceeded.
   */
  hit(key: string, max: number, windowSeconds: number): Promise<boolean>;
}
