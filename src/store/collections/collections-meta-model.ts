import { blankCollection, newField } from '../../core/collections/collection-factory.js';
import type { CollectionModel } from '../../core/collections/collection-model.js';

/**
 * A synthetic system collection describing a plain table, so that the filter and sort compilers
 * can run over it: `columns` maps each column to a field type; `id` becomes the text primary key.
 */
export function tableModel(table: string, columns: Record<string, string>): CollectionModel {
  const fields = Object.entries(columns).map(([name, type]) =>
    newField(name === 'id' ? { type, name, primaryKey: true, system: true } : { type, name }));
  return blankCollection({ id: table, name: table, system: true, fields });
}

/**
 * The `_collections` table itself, so that `GET /api/collections?filter=…` compiles with
 * PocketBase's field list (id, created, updated, name, system, type).
 */
export const COLLECTIONS_META_MODEL: CollectionModel = tableModel('_collections', {
  id: 'text', name: 'text', type: 'text', system: 'bool', created: 'text', updated: 'text',
});
