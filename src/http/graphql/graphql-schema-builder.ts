import {
  GraphQLBoolean, GraphQLID, GraphQLInputObjectType, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString,
  type GraphQLFieldConfigMap, type GraphQLInputFieldConfigMap,
} from 'graphql';
import type { CollectionModel, FieldModel } from '../../core/collections/collection-model.js';
import { RULE_NAMES } from '../../core/collections/collection-model.js';
import { findSingleColumnUniqueIndex } from '../../core/collections/index-parser.js';
import { fieldIsMultiple } from '../../core/records/record-fields.js';
import { isRedacted } from '../../core/records/record-serializer.js';
import type { GraphqlContext, SchemaVariant } from './graphql-context.js';
import { graphqlFieldMapping } from './graphql-field-types.js';
import { assignNames, graphqlName, type CollectionNames } from './graphql-names.js';
import { authFields } from './graphql-auth-resolvers.js';
import { batchField, recordMutations, recordQueries, type CollectionBinding } from './graphql-record-resolvers.js';
import type { ExpandEdge, ExpandIndex } from './graphql-selection.js';
import { RecordActionType, nonNullList } from './graphql-shared-types.js';
import { recordSubscription } from './graphql-subscriptions.js';

type Source = Record<string, unknown>;
type FieldMap = GraphQLFieldConfigMap<Source, GraphqlContext>;

/** A built schema and what its resolvers need to know about it. */
export interface BuiltSchema {
  schema: GraphQLSchema;
  expandIndex: ExpandIndex;
}

const BASE_KEYS = new Set(['id', 'collectionId', 'collectionName', 'expand']);
/** Auth fields never written through inputs (`tokenKey`: rotated by the server only). */
const NOT_INPUT = new Set(['id', 'tokenKey']);

const locked = (c: CollectionModel) => RULE_NAMES.every((rule) => c[rule] === null);

/** Whether `field` of `collection` is output in `variant` (redaction as the serializer does it). */
function outputs(collection: CollectionModel, field: FieldModel, variant: SchemaVariant): boolean {
  if (BASE_KEYS.has(field.name)) return false;
  if (collection.type === 'auth' && (field.name === 'password' || field.name === 'tokenKey')) return false;
  return !isRedacted(collection, field, variant === 'superuser');
}

/**
 * Builds the GraphQL schema of the live collections for one variant. The public variant leaves
 * out hidden fields (never served to non-superusers), collections locked to superusers, and the
 * root fields of locked (`null`) rules, so that what a caller cannot reach is not even named.
 * Every resolver goes through the records and auth services: the same rules as REST.
 */
export function buildGraphqlSchema(all: readonly CollectionModel[], variant: SchemaVariant): BuiltSchema {
  const collections = all.filter((c) => variant === 'superuser' || !locked(c) || c.type === 'auth');
  const names = assignNames(collections);
  const byId = new Map(collections.map((c) => [c.id, c]));
  const recordTypes = new Map<string, GraphQLObjectType<Source, GraphqlContext>>();
  const expandIndex = new Map<string, Map<string, ExpandEdge>>();
  const namesOf = (c: CollectionModel) => names.get(c.id) as CollectionNames;

  const expandTypeOf = (c: CollectionModel): GraphQLObjectType<Source, GraphqlContext> | null => {
    const edges = new Map<string, ExpandEdge>();
    const fields: (() => FieldMap)[] = [];
    const add = (gqlName: string, key: string, target: CollectionModel, multiple: boolean) => {
      if (edges.has(gqlName)) return;
      edges.set(gqlName, { key });
      fields.push(() => {
        const type = recordTypes.get(target.id) as GraphQLObjectType<Source, GraphqlContext>;
        return {
          [gqlName]: {
            type: multiple ? nonNullList(type) : type,
            resolve: (src) => (src['expand'] as Source | undefined)?.[key] ?? (multiple ? [] : null),
          },
        };
      });
    };
    for (const field of c.fields) {
      if (field.type !== 'relation' || !outputs(c, field, variant)) continue;
      const target = byId.get(String(field['collectionId'] ?? ''));
      if (target) add(graphqlName(field.name), field.name, target, fieldIsMultiple(field));
    }
    for (const other of collections) {
      for (const field of other.fields) {
        if (field.type !== 'relation' || field['collectionId'] !== c.id || !outputs(other, field, variant)) continue;
        const key = `${other.name}_via_${field.name}`;
        add(graphqlName(key), key, other, !findSingleColumnUniqueIndex(other.indexes, field.name));
      }
    }
    if (fields.length === 0) return null;
    const typeName = `${namesOf(c).type}Expand`;
    expandIndex.set(typeName, edges);
    return new GraphQLObjectType<Source, GraphqlContext>({
      name: typeName,
      description: `Relations of ${c.name} and records pointing at it (\`?expand=\`), loaded one query per level through the view rules.`,
      fields: () => Object.assign({}, ...fields.map((f) => f())) as FieldMap,
    });
  };

  for (const c of collections) {
    const expandType = expandTypeOf(c);
    recordTypes.set(c.id, new GraphQLObjectType<Source, GraphqlContext>({
      name: namesOf(c).type,
      description: `A record of the ${c.type} collection "${c.name}".`,
      fields: () => {
        const out: FieldMap = {
          id: { type: new GraphQLNonNull(GraphQLID) },
          collectionId: { type: new GraphQLNonNull(GraphQLString) },
          collectionName: { type: new GraphQLNonNull(GraphQLString) },
        };
        for (const field of c.fields) {
          if (!outputs(c, field, variant)) continue;
          const mapping = graphqlFieldMapping(field);
          const type = mapping.output(field);
          const name = graphqlName(field.name);
          if (!type || name in out) continue;
          const resolve = mapping.resolve;
          // a plain property read is left to the executor (graphql-jit inlines it)
          out[name] = resolve
            ? { type, resolve: (src) => resolve(src[field.name], src, field) }
            : name === field.name ? { type } : { type, resolve: (src) => src[field.name] };
        }
        if (expandType) out['expand'] = { type: new GraphQLNonNull(expandType), resolve: (src) => src };
        return out;
      },
    }));
  }

  const query: FieldMap = {};
  const mutation: FieldMap = {};
  const subscription: FieldMap = {};
  for (const c of collections) {
    const binding: CollectionBinding = {
      collection: c,
      names: namesOf(c),
      recordType: recordTypes.get(c.id) as GraphQLObjectType<Source, GraphqlContext>,
      expandIndex,
      allows: (rule) => variant === 'superuser' || c[rule] !== null,
    };
    Object.assign(query, recordQueries(binding));
    if (c.type !== 'view') Object.assign(mutation, recordMutations(binding, inputTypes(c, binding.names)));
    if (c.type === 'auth') Object.assign(mutation, authFields(binding));
    Object.assign(subscription, recordSubscription(binding, eventType(binding)));
  }
  Object.assign(mutation, batchField());
  return {
    schema: new GraphQLSchema({
      query: new GraphQLObjectType({ name: 'Query', fields: Object.keys(query).length > 0 ? query : emptyQuery() }),
      mutation: new GraphQLObjectType({ name: 'Mutation', fields: mutation }),
      subscription: Object.keys(subscription).length > 0 ? new GraphQLObjectType({ name: 'Subscription', fields: subscription }) : undefined,
    }),
    expandIndex,
  };
}

function emptyQuery(): FieldMap {
  return { _empty: { type: GraphQLBoolean, description: 'No collection is readable.', resolve: () => null } };
}

function eventType(binding: CollectionBinding): GraphQLObjectType {
  return new GraphQLObjectType({
    name: `${binding.names.type}Event`,
    fields: {
      action: { type: new GraphQLNonNull(RecordActionType) },
      record: { type: new GraphQLNonNull(binding.recordType) },
    },
  });
}

/** How an input object's GraphQL keys become REST body keys (`tags_append` → `tags+`). */
export type InputKeys = ReadonlyMap<string, string>;

/** The create and update input types of a collection, with the body key of every input field. */
export interface InputTypes {
  create: GraphQLInputObjectType;
  update: GraphQLInputObjectType;
  keys: InputKeys;
}

function inputTypes(c: CollectionModel, names: CollectionNames): InputTypes {
  const keys = new Map<string, string>([['id', 'id']]);
  const create: GraphQLInputFieldConfigMap = { id: { type: GraphQLString, description: 'A custom id (15 characters of a-z0-9).' } };
  const update: GraphQLInputFieldConfigMap = {};
  for (const field of c.fields) {
    if (NOT_INPUT.has(field.name)) continue;
    const mapping = graphqlFieldMapping(field);
    const type = mapping.input(field);
    const name = graphqlName(field.name);
    if (!type || keys.has(name)) continue;
    keys.set(name, field.name);
    create[name] = { type };
    update[name] = { type };
    for (const [suffix, modifier] of Object.entries(mapping.modifiers?.(field) ?? {})) {
      const modName = `${name}${suffix}`;
      if (keys.has(modName) || c.fields.some((f) => f.name === modName)) continue;
      keys.set(modName, modifier.key(field.name));
      update[modName] = { type: modifier.type };
    }
  }
  if (c.type === 'auth') {
    for (const [name, target] of [['passwordConfirm', create], ['passwordConfirm', update], ['oldPassword', update]] as const) {
      target[name] = { type: GraphQLString };
      keys.set(name, name);
    }
  }
  return {
    create: new GraphQLInputObjectType({ name: `${names.type}CreateInput`, fields: create }),
    update: new GraphQLInputObjectType({ name: `${names.type}UpdateInput`, fields: Object.keys(update).length > 0 ? update : { _empty: { type: GraphQLBoolean } } }),
    keys,
  };
}

