import { storedField } from '../../core/collections/collection-factory.js';
import type { CollectionModel, CollectionType } from '../../core/collections/collection-model.js';
import { collectionOptionsToStorage, fieldToJSON } from '../../core/collections/collection-serializer.js';
import type { SqlValue } from '../db.js';
import type { Dialect } from '../dialect.js';

/**
 * The default order of `_collections` rows under the (quoted) table name or alias `table`:
 * creation time, then insertion order (SQLite's rowid, as PocketBase) or, where there is no
 * rowid, the id.
 */
export function creationOrder(dialect: Dialect, table: string): string {
  const tie = dialect.rowid(table) ?? `${table}.${dialect.quote('id')}`;
  return `${table}.${dialect.quote('created')} ASC, ${tie} ASC`;
}

/** A `_collections` row as the driver returns it. */
export interface CollectionRow {
  id: string;
  system: number | boolean;
  type: string;
  name: string;
  fields: string;
  indexes: string;
  listRule: string | null;
  viewRule: string | null;
  createRule: string | null;
  updateRule: string | null;
  deleteRule: string | null;
  options: string;
  created: string;
  updated: string;
}

function parseJson<T>(text: unknown, fallback: T): T {
  if (typeof text !== 'string' || text === '') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** Maps a `_collections` row to the model (fields normalised so that every option key is present). */
export function rowToCollection(row: CollectionRow): CollectionModel {
  const fields = parseJson<unknown[]>(row.fields, []);
  const options = parseJson<Record<string, unknown>>(row.options, {});
  return {
    id: row.id,
    name: row.name,
    type: (row.type || 'base') as CollectionType,
    system: row.system === 1 || row.system === true,
    fields: (Array.isArray(fields) ? fields : []).map(storedField),
    indexes: parseJson<unknown[]>(row.indexes, []).map(String),
    listRule: row.listRule,
    viewRule: row.viewRule,
    createRule: row.createRule,
    updateRule: row.updateRule,
    deleteRule: row.deleteRule,
    options: options && typeof options === 'object' && !Array.isArray(options) ? options : {},
    created: row.created,
    updated: row.updated,
  };
}

/** The column names of `_collections`, in the order of `collectionValues`. */
export const COLLECTION_COLUMNS = [
  'id', 'system', 'type', 'name', 'fields', 'indexes', 'listRule', 'viewRule', 'createRule', 'updateRule',
  'deleteRule', 'options', 'created', 'updated',
] as const;

/** The values of a collection for `_collections` (fields and options as JSON text). */
export function collectionValues(c: CollectionModel): SqlValue[] {
  return [
    c.id, c.system, c.type, c.name, JSON.stringify(c.fields.map(fieldToJSON)), JSON.stringify(c.indexes), c.listRule, c.viewRule,
    c.createRule, c.updateRule, c.deleteRule, JSON.stringify(collectionOptionsToStorage(c)), c.created, c.updated,
  ];
}
