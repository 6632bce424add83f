import type { CollectionModel } from '../../core/collections/collection-model.js';

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** Types the schema defines itself; a collection never takes one of these names. */
const RESERVED_TYPES = new Set([
  'Query', 'Mutation', 'Subscription', 'String', 'Int', 'Float', 'Boolean', 'ID', 'JSON',
  'GeoPoint', 'GeoPointInput', 'PlinthFile', 'RecordAction', 'BatchRequest', 'BatchAction', 'BatchResult',
]);

/** The suffixes of the types generated per collection. */
const TYPE_SUFFIXES = ['', 'List', 'Expand', 'CreateInput', 'UpdateInput', 'Event', 'Auth'] as const;

/** A valid GraphQL name for a PocketBase name (`\w+`, which may start with a digit). */
export function graphqlName(name: string): string {
  const cleaned = name.replace(/\W/g, '_');
  const safe = GRAPHQL_NAME.test(cleaned) ? cleaned : `_${cleaned}`;
  return safe.startsWith('__') ? `f${safe}` : safe;
}

/** `post_tags` → `PostTags`, `_superusers` → `Superusers`. */
export function pascalCase(name: string): string {
  const words = name.split(/[^0-9A-Za-z]+/).filter((w) => w !== '');
  const out = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return graphqlName(out === '' ? 'Collection' : out);
}

/** The GraphQL names of one collection's types and root fields. */
export interface CollectionNames {
  /** The record type; the other types append a suffix (`PostsList`, `PostsCreateInput`…). */
  type: string;
  /** The list query, the collection's name: `posts`. */
  list: string;
  /** `postsById`. */
  byId: string;
  create: string;
  update: string;
  delete: string;
  /** `postsEvents` (subscription). */
  events: string;
  authWithPassword: string;
  authRefresh: string;
}

/**
 * Assigns names to every collection, in name order so that they are stable: a collection whose
 * derived names would collide with another's or with a built-in type gets its id appended.
 */
export function assignNames(collections: readonly CollectionModel[]): Map<string, CollectionNames> {
  const takenTypes = new Set(RESERVED_TYPES);
  const takenFields = new Set(['batch']);
  const out = new Map<string, CollectionNames>();
  // code-point order, not the locale's: the same names on every machine
  for (const collection of [...collections].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    let names = namesFor(pascalCase(collection.name), graphqlName(collection.name));
    if (collides(names, takenTypes, takenFields)) {
      names = namesFor(`${pascalCase(collection.name)}_${graphqlName(collection.id)}`, `${graphqlName(collection.name)}_${graphqlName(collection.id)}`);
    }
    for (const suffix of TYPE_SUFFIXES) takenTypes.add(names.type + suffix);
    for (const field of rootFields(names)) takenFields.add(field);
    out.set(collection.id, names);
  }
  return out;
}

function namesFor(type: string, field: string): CollectionNames {
  return {
    type,
    list: field,
    byId: `${field}ById`,
    create: `create${type}`,
    update: `update${type}`,
    delete: `delete${type}`,
    events: `${field}Events`,
    authWithPassword: `${field}AuthWithPassword`,
    authRefresh: `${field}AuthRefresh`,
  };
}

function rootFields(names: CollectionNames): string[] {
  return [names.list, names.byId, names.create, names.update, names.delete, names.events, names.authWithPassword, names.authRefresh];
}

function collides(names: CollectionNames, types: ReadonlySet<string>, fields: ReadonlySet<string>): boolean {
  return TYPE_SUFFIXES.some((s) => types.has(names.type + s)) || rootFields(names).some((f) => fields.has(f));
}
