import {
  GraphQLBoolean, GraphQLFloat, GraphQLList, GraphQLNonNull, GraphQLString,
  type GraphQLInputType, type GraphQLOutputType,
} from 'graphql';
import type { FieldModel } from '../../core/collections/collection-model.js';
import type { FieldTypeName } from '../../core/fields/field-registry.js';
import { fieldIsMultiple } from '../../core/records/record-fields.js';
import { GeoPointInputType, GeoPointType, JsonScalar, PlinthFileType, nonNullList, type FileRef } from './graphql-shared-types.js';

type Source = Record<string, unknown>;

/** How one PocketBase field type appears in the GraphQL schema. */
export interface GraphqlFieldMapping {
  /** The output type; null when the field is never output (password). */
  output(field: FieldModel): GraphQLOutputType | null;
  /** Turns the record JSON's value into the output value (default: as is). */
  resolve?(value: unknown, record: Source, field: FieldModel): unknown;
  /** The type accepted in create/update inputs; null when not writable through inputs (autodate). */
  input(field: FieldModel): GraphQLInputType | null;
  /** Update-only modifier inputs: input suffix → REST body key modifier (`_append` → `name+`). */
  modifiers?(field: FieldModel): Modifiers;
}

const strings = new GraphQLList(new GraphQLNonNull(GraphQLString));
const stringOrList = (field: FieldModel): GraphQLOutputType => (fieldIsMultiple(field) ? nonNullList(GraphQLString) : GraphQLString);
const stringOrListInput = (field: FieldModel): GraphQLInputType => (fieldIsMultiple(field) ? strings : GraphQLString);

const text: GraphqlFieldMapping = { output: () => GraphQLString, input: () => GraphQLString };

type Modifiers = Record<string, { type: GraphQLInputType; key: (name: string) => string }>;

/** Multi-value modifiers, as REST's `name+` (append), `+name` (prepend) and `name-` (remove). */
function listModifiers(field: FieldModel): Modifiers {
  if (!fieldIsMultiple(field)) return {};
  return {
    _append: { type: strings, key: (name) => `${name}+` },
    _prepend: { type: strings, key: (name) => `+${name}` },
    _remove: { type: strings, key: (name) => `${name}-` },
  };
}

function fileRefs(value: unknown, record: Source): FileRef[] {
  const names = Array.isArray(value) ? value : typeof value === 'string' && value !== '' ? [value] : [];
  return names.filter((n): n is string => typeof n === 'string' && n !== '').map((name) => ({
    name, collectionId: String(record['collectionId'] ?? ''), recordId: String(record['id'] ?? ''),
  }));
}

/** One entry per field type of the registry (src/core/fields/field-registry.ts). */
export const GRAPHQL_FIELD_TYPES = {
  text,
  editor: text,
  email: text,
  url: text,
  date: text,
  autodate: { output: () => GraphQLString, input: () => null },
  number: {
    output: () => GraphQLFloat,
    input: () => GraphQLFloat,
    modifiers: () => ({
      _add: { type: GraphQLFloat, key: (name) => `${name}+` },
      _subtract: { type: GraphQLFloat, key: (name) => `${name}-` },
    }),
  },
  bool: { output: () => GraphQLBoolean, input: () => GraphQLBoolean },
  select: { output: stringOrList, input: stringOrListInput, modifiers: listModifiers },
  relation: { output: stringOrList, input: stringOrListInput, modifiers: listModifiers },
  file: {
    output: (field) => (fieldIsMultiple(field) ? nonNullList(PlinthFileType) : PlinthFileType),
    resolve: (value, record, field) => {
      const refs = fileRefs(value, record);
      return fieldIsMultiple(field) ? refs : (refs[0] ?? null);
    },
    // uploads go through REST (multipart); here a file field takes the names to keep
    input: () => strings,
    modifiers: (field): Modifiers => (fieldIsMultiple(field) ? { _remove: { type: strings, key: (name) => `${name}-` } } : {}),
  },
  json: { output: () => JsonScalar, input: () => JsonScalar },
  password: { output: () => null, input: () => GraphQLString },
  geoPoint: { output: () => GeoPointType, input: () => GeoPointInputType },
} satisfies Record<FieldTypeName, GraphqlFieldMapping>;

/** The mapping of a field's type; unknown types (kept as stored) read and write as JSON. */
export function graphqlFieldMapping(field: FieldModel): GraphqlFieldMapping {
  return Object.hasOwn(GRAPHQL_FIELD_TYPES, field.type)
    ? GRAPHQL_FIELD_TYPES[field.type as FieldTypeName]
    : { output: () => JsonScalar, input: () => JsonScalar };
}
