import { AUTH_OPTION_KEYS, redactAuthOptions } from './auth-options.js';
import type { CollectionModel, FieldModel } from './collection-model.js';

/** A field as PocketBase serialises it: every key, sorted alphabetically. */
export function fieldToJSON(field: FieldModel): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(field).sort()) out[key] = field[key];
  return out;
}

/**
 * A collection as the API serves it, in PocketBase's key order, with its type's options
 * flattened in and every secret removed.
 */
export function collectionToJSON(c: CollectionModel): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: c.id,
    listRule: c.listRule,
    viewRule: c.viewRule,
    createRule: c.createRule,
    updateRule: c.updateRule,
    deleteRule: c.deleteRule,
    name: c.name,
    type: c.type,
    fields: c.fields.map(fieldToJSON),
    indexes: c.indexes,
    created: c.created,
    updated: c.updated,
    system: c.system,
  };
  if (c.type === 'auth') {
    const options = redactAuthOptions(c.options);
    for (const key of AUTH_OPTION_KEYS) if (key in options) out[key] = options[key];
  } else if (c.type === 'view') {
    out.viewQuery = typeof c.options.viewQuery === 'string' ? c.options.viewQuery : '';
  }
  return out;
}

/** The `options` column content of a collection (secrets included): what `_collections` stores. */
export function collectionOptionsToStorage(c: CollectionModel): Record<string, unknown> {
  if (c.type === 'auth') {
    const out: Record<string, unknown> = {};
    for (const key of AUTH_OPTION_KEYS) if (key in c.options) out[key] = c.options[key];
    return out;
  }
  if (c.type === 'view') return { viewQuery: typeof c.options.viewQuery === 'string' ? c.options.viewQuery : '' };
  return {};
}
