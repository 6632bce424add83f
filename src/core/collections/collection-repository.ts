import type { CollectionModel } from './collection-model.js';

/** One change of a collections import, applied in order inside a single transaction. */
export type CollectionChange =
  | { kind: 'save'; collection: CollectionModel; previous: CollectionModel | null }
  | { kind: 'delete'; collection: CollectionModel };

/** Result of running a view query without saving it. */
export interface ViewDryRun {
  columns: string[];
  rows: Array<Record<string, unknown>>;
}

/**
 * What the collections service needs from the store. Every save runs in one transaction together
 * with the table (or view) migration; the store never validates, the service does.
 */
export interface CollectionRepository {
  /** Every collection stored in `_collections`. */
  loadAll(): Promise<CollectionModel[]>;
  /** Inserts or updates a collection and migrates its table/view (`previous` is null for new ones). */
  save(collection: CollectionModel, previous: CollectionModel | null): Promise<void>;
  /** Drops the collection's table or view and its `_collections` row. */
  delete(collection: CollectionModel): Promise<void>;
  /** Applies several changes in one transaction (collections import). */
  applyChanges(changes: readonly CollectionChange[]): Promise<void>;
  /**
   * Deletes every record of `collection`, honouring the relations of `all` that reference it
   * (cascade, unset, or refuse when a required reference would be left empty).
   */
  truncate(collection: CollectionModel, all: readonly CollectionModel[]): Promise<void>;
  /** The column names a SELECT query produces; throws when the query is not a valid view query. */
  viewColumns(query: string): Promise<string[]>;
  /** Runs a view query read-only and returns its columns and first rows. */
  dryRunView(query: string, limit: number): Promise<ViewDryRun>;
  /** Whether a table or view with this name exists (case-insensitive). */
  tableExists(name: string): Promise<boolean>;
  /** The table that owns the index `indexName`, if any (case-insensitive). */
  indexOwner(indexName: string): Promise<string | null>;
  /**
   * Checks a rule or filter expression against `collection` (with `all` for relations); returns
   * the error text when it doesn't compile, null when it does.
   */
  checkRule(rule: string, collection: CollectionModel, all: readonly CollectionModel[]): string | null;
}
