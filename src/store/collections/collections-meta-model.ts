import { normalizeField } from '../../core/collections/collection-fields.js';
import type { CollectionModel } from '../../core/collections/collection-model.js';

/**
 * A synthetic collection describing the `_collections` table itself, so that the filter and sort
 * compilers can run `GET /api/collections?filter=…` with PocketBase's field list
 * (id, created, updated, name, system, type).
 */
export const COLLECTIONS_META_MODEL: CollectionModel = {
  id: '_collections',
  name: '_collections',
  type: 'base',
  system: true,
  fields: [
    normalizeField({ type: 'text', name: 'id', primaryKey: true, system: true }),
    normalizeField({ type: 'text', name: 'name' }),
    normalizeField({ type: 'text', name: 'type' }),
    normalizeField({ type: 'bool', name: 'system' }),
    normalizeField({ type: 'text', name: 'created' }),
    normalizeField({ type: 'text', name: 'updated' }),
  ],
  indexes: [],
  listRule: null,
  viewRule: null,
  createRule: null,
  updateRule: null,
  deleteRule: null,
  options: {},
  created: '',
  updated: '',
};
