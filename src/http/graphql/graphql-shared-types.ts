import {
  GraphQLBoolean, GraphQLEnumType, GraphQLFloat, GraphQLInputObjectType, GraphQLInt, GraphQLList, GraphQLNonNull,
  GraphQLObjectType, GraphQLScalarType, GraphQLString, Kind, type GraphQLNullableType, type ValueNode,
} from 'graphql';
import type { GraphqlContext } from './graphql-context.js';

function literalValue(node: ValueNode, variables: Record<string, unknown> | null | undefined): unknown {
  switch (node.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return node.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map((v) => literalValue(v, variables));
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((f) => [f.name.value, literalValue(f.value, variables)]));
    case Kind.VARIABLE:
      return variables?.[node.name.value];
    default:
      return undefined;
  }
}

/** Any JSON value (json fields, batch bodies), as is. */
export const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (node, variables) => literalValue(node, variables),
});

/** A geoPoint field's value. */
export const GeoPointType = new GraphQLObjectType({
  name: 'GeoPoint',
  fields: { lon: { type: new GraphQLNonNull(GraphQLFloat) }, lat: { type: new GraphQLNonNull(GraphQLFloat) } },
});

export const GeoPointInputType = new GraphQLInputObjectType({
  name: 'GeoPointInput',
  fields: { lon: { type: new GraphQLNonNull(GraphQLFloat) }, lat: { type: new GraphQLNonNull(GraphQLFloat) } },
});

/** What a file field's resolver hands to {@link PlinthFileType}. */
export interface FileRef {
  name: string;
  collectionId: string;
  recordId: string;
}

/** A stored file: its name and its `/api/files/…` URL (a thumb with `thumb`, protected files with `token`). */
export const PlinthFileType = new GraphQLObjectType<FileRef, GraphqlContext>({
  name: 'PlinthFile',
  fields: {
    name: { type: new GraphQLNonNull(GraphQLString) },
    url: {
      type: new GraphQLNonNull(GraphQLString),
      description: 'The download URL. `thumb` (e.g. "100x100") asks for a thumbnail of an image, `token` is a file token for protected files.',
      args: { thumb: { type: GraphQLString }, token: { type: GraphQLString }, download: { type: GraphQLBoolean } },
      resolve: (file, args: { thumb?: string | null; token?: string | null; download?: boolean | null }, ctx) => {
        const query = new URLSearchParams();
        if (args.thumb) query.set('thumb', args.thumb);
        if (args.token) query.set('token', args.token);
        if (args.download) query.set('download', '1');
        const path = `/api/files/${encodeURIComponent(file.collectionId)}/${encodeURIComponent(file.recordId)}/${encodeURIComponent(file.name)}`;
        const qs = query.toString();
        return `${ctx.baseUrl}${path}${qs === '' ? '' : `?${qs}`}`;
      },
    },
  },
});

/** The write that produced a subscription event. */
export const RecordActionType = new GraphQLEnumType({
  name: 'RecordAction',
  values: { create: { value: 'create' }, update: { value: 'update' }, delete: { value: 'delete' } },
});

export const BatchActionType = new GraphQLEnumType({
  name: 'BatchAction',
  values: { create: { value: 'create' }, update: { value: 'update' }, upsert: { value: 'upsert' }, delete: { value: 'delete' } },
});

/** One write of the `batch` mutation: the same operations as `POST /api/batch`. */
export const BatchRequestType = new GraphQLInputObjectType({
  name: 'BatchRequest',
  fields: {
    action: { type: new GraphQLNonNull(BatchActionType) },
    collection: { type: new GraphQLNonNull(GraphQLString), description: 'Collection name or id.' },
    id: { type: GraphQLString, description: 'The record id (update, delete; upsert: the record to update if it exists).' },
    data: { type: JsonScalar, description: 'The record body, as for REST (modifiers such as `tags+` allowed).' },
  },
});

export const BatchResultType = new GraphQLObjectType({
  name: 'BatchResult',
  fields: {
    status: { type: new GraphQLNonNull(GraphQLInt), description: '200, or 204 for a delete.' },
    record: { type: JsonScalar, description: 'The saved record as REST answers it; null for a delete.' },
  },
});

/** `[T!]!` */
export function nonNullList<T extends GraphQLNullableType>(type: T): GraphQLNonNull<GraphQLList<GraphQLNonNull<T>>> {
  return new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(type)));
}
