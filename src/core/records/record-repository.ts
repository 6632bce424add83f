import type { CollectionModel } from '../collections/collection-model.js';
import type { RequestInfo } from '../request-info.js';
import type { FilterExpr } from '../filter/index.js';
import type { RuleTrace } from '../rules/rule-trace.js';

/** A row as the store reads it: column name → driver value (JSON text for multi-values). */
export type RawRow = Record<string, unknown>;

/** Restricts a query to rows whose `field` holds one of `values` (any item, for multi-value fields). */
export interface ValueMatch {
  field: string;
  values: readonly string[];
  /** True when the column holds a JSON array of values (multiple relation/select/file). */
  multiple: boolean;
}

/**
 * One read of a collection. Every filter (rules and the caller's `?filter=`) is filter-language
 * text compiled by the store for this collection and `request`; the store caches what it can.
 */
export interface RecordQuery {
  collection: CollectionModel;
  request: RequestInfo;
  /** Rule texts, ANDed; blank texts are skipped. Rules may always reference hidden fields. */
  filters?: readonly string[];
  /** The caller's `?filter=` text (hidden fields only when `allowHiddenFields`). */
  userFilter?: string;
  /** The caller's `?sort=` text (`-created,@random,rel.title`). */
  sort?: string;
  match?: ValueMatch;
  limit?: number;
  offset?: number;
  /** Whether `userFilter` and `sort` may reference hidden fields (superusers only). */
  allowHiddenFields: boolean;
}

/**
 * The store port of the records service. Values cross it in database form (see
 * record-values.ts for the conversions); ordering of writes and rule checks is the service's job.
 * Filter or sort text that does not compile makes `find`/`count` throw a `bad_request` PlinthError.
 * Unique index violations make `insert`/`update` throw a validation PlinthError with
 * `validation_not_unique` on the offending fields.
 */
export interface RecordRepository {
  find(query: RecordQuery): Promise<RawRow[]>;
  /** The first row of `query` (its `limit` is ignored), or undefined. */
  findOne(query: RecordQuery): Promise<RawRow | undefined>;
  count(query: RecordQuery): Promise<number>;
  /** Which of `ids` are records of `collection`, rule-free: an index-only read (relation checks). */
  existingIds(collection: CollectionModel, ids: readonly string[]): Promise<string[]>;
  insert(collection: CollectionModel, row: RawRow): Promise<void>;
  /** Writes `row`'s columns on the record `id`. */
  update(collection: CollectionModel, id: string, row: RawRow): Promise<void>;
  delete(collection: CollectionModel, id: string): Promise<void>;
  /** Rows of `collection` whose `field` equals `value` (case-insensitively when asked), first `limit`. */
  findByField(collection: CollectionModel, field: string, value: string, options?: { caseInsensitive?: boolean; limit?: number }): Promise<RawRow[]>;
  /**
   * The row `id` (undefined when missing), locked until the surrounding transaction ends: a row
   * lock (`SELECT … FOR UPDATE`) on PostgreSQL/MySQL; SQLite's write transactions already exclude
   * each other. Call it on the repository that `transaction` hands to its callback.
   */
  lockForUpdate(collection: CollectionModel, id: string): Promise<RawRow | undefined>;
  /**
   * The rule tester: `rule` evaluated clause by clause for the row `id`, with the API's own rule
   * SQL (see src/core/rules/rule-trace.ts); null when the row is missing.
   */
  traceRule(collection: CollectionModel, id: string, rule: FilterExpr, request: RequestInfo): Promise<RuleTrace | null>;
  /** Runs `fn` in one transaction: it commits when `fn` resolves and rolls back when it throws. */
  transaction<T>(fn: (repository: RecordRepository) => Promise<T>): Promise<T>;
}
