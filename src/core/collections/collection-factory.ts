import { isPlainObject } from '../fields/cast.js';
import { defaultFieldId } from '../fields/field-common.js';
import { isFieldType, normalizeField } from '../fields/field-registry.js';
import { defaultAuthOptions } from './auth-options.js';
import { defaultCollectionId, randomLowerString } from './collection-ids.js';
import type { CollectionModel, CollectionType, FieldModel } from './collection-model.js';
import { findSingleColumnUniqueIndex } from './index-parser.js';

/**
 * A field definition as a collection holds it: normalised by its type in the field registry (an
 * unknown or missing type is PocketBase's 400 "Failed to load the submitted data…"), with
 * PocketBase's default id (`type + crc32(name)`) when it has none, as its FieldsList.add does.
 */
export function newField(raw: unknown): FieldModel {
  const field = normalizeField(raw);
  if (field.id === '') field.id = defaultFieldId(field.type, field.name);
  return field;
}

/**
 * A field definition read back from storage: {@link newField}, except that a field of a type the
 * registry does not know is kept as stored (nothing is lost when the row is written back, and the
 * collection validator reports the type if the collection is saved).
 */
export function storedField(raw: unknown): FieldModel {
  if (isPlainObject(raw) && isFieldType(raw.type)) return newField(raw);
  const field = structuredClone(isPlainObject(raw) ? raw : {}) as FieldModel;
  field.type = typeof field.type === 'string' ? field.type : '';
  field.name = typeof field.name === 'string' ? field.name : '';
  if (typeof field.id !== 'string' || field.id === '') field.id = defaultFieldId(field.type, field.name);
  return field;
}

/**
 * A collection with every key at its blank value and no fields, then `over` applied: the one
 * place the shape of a new collection is spelled out (the synthetic `_collections`/`_logs` models
 * start from it too).
 */
export function blankCollection(over: Partial<CollectionModel> = {}): CollectionModel {
  return {
    id: '',
    name: '',
    type: 'base',
    system: false,
    fields: [],
    indexes: [],
    listRule: null,
    viewRule: null,
    createRule: null,
    updateRule: null,
    deleteRule: null,
    options: {},
    created: '',
    updated: '',
    ...over,
  };
}

/** A blank collection of `type` with PocketBase's default fields, indexes and options. */
export function newCollection(type: string, name: string, id?: string): CollectionModel {
  const collectionType: CollectionType = type === 'auth' || type === 'view' ? type : 'base';
  const c = blankCollection({
    id: id ?? defaultCollectionId(collectionType, name),
    name,
    type: collectionType,
    options: collectionType === 'auth' ? defaultAuthOptions() : collectionType === 'view' ? { viewQuery: '' } : {},
  });
  initDefaultFields(c);
  return c;
}

function fieldIndexName(c: CollectionModel, field: string): string {
  const name = `idx_${field}_${c.id || c.name || randomLowerString(10)}`;
  return name.length > 64 ? name.slice(0, 64) : name;
}

/** Adds `field`, replacing a field with the same id in place. */
function addField(c: CollectionModel, field: FieldModel): void {
  const at = c.fields.findIndex((f) => f.id === field.id);
  if (at >= 0) c.fields[at] = field;
  else c.fields.push(field);
}

function byName(c: CollectionModel, name: string, type: string): FieldModel | undefined {
  return c.fields.find((f) => f.name === name && f.type === type);
}

function initIdField(c: CollectionModel): void {
  const field = byName(c, 'id', 'text');
  if (!field) {
    c.fields.unshift(newField({
      type: 'text', name: 'id', system: true, primaryKey: true, required: true, min: 15, max: 15,
      pattern: '^[a-z0-9]+$', autogeneratePattern: '[a-z0-9]{15}',
    }));
    return;
  }
  field.system = true;
  field.required = true;
  field.primaryKey = true;
  field.hidden = false;
  if (field.pattern === '') field.pattern = field.autogeneratePattern === '@uuidv7' ? '@uuidv7' : '^[a-z0-9]+$';
}

function ensureField(c: CollectionModel, name: string, type: string, defaults: Record<string, unknown>, enforce: Partial<FieldModel>): void {
  const field = byName(c, name, type);
  if (!field) addField(c, newField({ type, name, ...defaults, ...enforce }));
  else Object.assign(field, enforce);
}

function ensureUniqueIndex(c: CollectionModel, field: string, where: boolean): void {
  if (findSingleColumnUniqueIndex(c.indexes, field)) return;
  const suffix = where ? ` WHERE \`${field}\` != ''` : '';
  c.indexes.push(`CREATE UNIQUE INDEX \`${fieldIndexName(c, field)}\` ON \`${c.name}\` (\`${field}\`)${suffix}`);
}

/** Adds (or re-enforces) the system fields and indexes a collection of its type must have. */
export function initDefaultFields(c: CollectionModel): void {
  if (c.type === 'view') return;
  initIdField(c);
  if (c.type !== 'auth') return;
  ensureField(c, 'password', 'password', { min: 8 }, { system: true, hidden: true, required: true });
  ensureField(c, 'tokenKey', 'text', { min: 30, max: 60, autogeneratePattern: '[a-zA-Z0-9]{50}' }, { system: true, hidden: true, required: true });
  ensureUniqueIndex(c, 'tokenKey', false);
  ensureField(c, 'email', 'email', { required: true }, { system: true, hidden: false });
  ensureUniqueIndex(c, 'email', true);
  ensureField(c, 'emailVisibility', 'bool', {}, { system: true });
  ensureField(c, 'verified', 'bool', {}, { system: true });
}
