/**
 * Collections as PocketBase stores them in `_collections` and serves them over the API.
 * Type-specific settings (auth options, `viewQuery`) live in `options`, which maps to the
 * `options` JSON column; the API flattens them into the collection object.
 */
export type CollectionType = 'base' | 'auth' | 'view';

/** A field definition: the common keys, plus the options of its type (see src/core/fields/). */
export interface FieldModel {
  id: string;
  name: string;
  type: string;
  system: boolean;
  hidden: boolean;
  presentable: boolean;
  [option: string]: unknown;
}

export type RuleName = 'listRule' | 'viewRule' | 'createRule' | 'updateRule' | 'deleteRule';
export const RULE_NAMES: readonly RuleName[] = ['listRule', 'viewRule', 'createRule', 'updateRule', 'deleteRule'];

export interface CollectionModel {
  id: string;
  name: string;
  type: CollectionType;
  system: boolean;
  fields: FieldModel[];
  indexes: string[];
  listRule: string | null;
  viewRule: string | null;
  createRule: string | null;
  updateRule: string | null;
  deleteRule: string | null;
  /** Auth options (authRule, manageRule, passwordAuth, authToken, …) or `{ viewQuery }`; `{}` for base. */
  options: Record<string, unknown>;
  created: string;
  updated: string;
}

/** A deep copy of a collection. */
export function cloneCollection(collection: CollectionModel): CollectionModel {
  return structuredClone(collection);
}

/** Relation fields of `collections` that point at the collection `targetId`, with their owner. */
export function findRelationReferences(
  collections: readonly CollectionModel[],
  targetId: string,
): Array<{ collection: CollectionModel; field: FieldModel }> {
  const out: Array<{ collection: CollectionModel; field: FieldModel }> = [];
  for (const collection of collections) {
    for (const field of collection.fields) {
      if (field.type === 'relation' && field.collectionId === targetId) out.push({ collection, field });
    }
  }
  return out;
}
