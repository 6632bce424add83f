import type { ColumnSpec } from '../fields/field-type.js';
import type { FieldModel } from './collection-model.js';
import { defaultFieldId } from './collection-ids.js';

/**
 * Field definitions as the collections service needs them: the option keys (with defaults) of each
 * PocketBase field type, so that stored and served fields always carry every key, and the column
 * each type asks for. Mirrors the field registry (src/core/fields/) for what collections need.
 */
const TYPE_OPTIONS: Record<string, Record<string, unknown>> = {
  text: { autogeneratePattern: '', max: 0, min: 0, pattern: '', primaryKey: false, required: false },
  number: { max: null, min: null, onlyInt: false, required: false },
  bool: { required: false },
  email: { exceptDomains: null, onlyDomains: null, required: false },
  url: { exceptDomains: null, onlyDomains: null, required: false },
  editor: { convertURLs: false, maxSize: 0, required: false },
  date: { max: '', min: '', required: false },
  autodate: { onCreate: false, onUpdate: false },
  select: { maxSelect: 0, required: false, values: [] },
  file: { maxSelect: 0, maxSize: 0, mimeTypes: [], protected: false, required: false, thumbs: [] },
  relation: { cascadeDelete: false, collectionId: '', maxSelect: 0, minSelect: 0, required: false },
  json: { maxSize: 0, required: false },
  password: { cost: 0, max: 0, min: 0, pattern: '', required: false },
  geoPoint: { required: false },
};

/** Types without the `help` text key (PocketBase hides it for autodate). */
const NO_HELP = new Set(['autodate']);

export const FIELD_TYPES: readonly string[] = Object.keys(TYPE_OPTIONS);

export function isKnownFieldType(type: string): boolean {
  return Object.hasOwn(TYPE_OPTIONS, type);
}

function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/**
 * Fills every key of the field's type with its default (keeping given values), and derives the
 * default id from type and name when missing. Unknown keys are dropped, as PocketBase does.
 */
export function normalizeField(raw: Record<string, unknown>): FieldModel {
  const type = typeof raw.type === 'string' ? raw.type : '';
  const name = typeof raw.name === 'string' ? raw.name : '';
  const options = TYPE_OPTIONS[type] ?? {};
  const field: FieldModel = {
    id: typeof raw.id === 'string' && raw.id !== '' ? raw.id : defaultFieldId(type, name),
    name,
    type,
    system: raw.system === true,
    hidden: raw.hidden === true,
    presentable: raw.presentable === true,
  };
  if (!NO_HELP.has(type)) field.help = typeof raw.help === 'string' ? raw.help : '';
  for (const [key, fallback] of Object.entries(options)) {
    const given = raw[key];
    field[key] = given === undefined ? clone(fallback) : clone(given);
  }
  if (!isKnownFieldType(type)) {
    // keep the raw options of an unknown type so that nothing is lost on a round trip
    for (const [key, value] of Object.entries(raw)) if (!(key in field)) field[key] = clone(value);
  }
  return field;
}

/** Whether the field stores a JSON array of values (select/file/relation with maxSelect > 1). */
export function isMultipleField(field: FieldModel): boolean {
  if (field.type !== 'select' && field.type !== 'file' && field.type !== 'relation') return false;
  return typeof field.maxSelect === 'number' && field.maxSelect > 1;
}

export type { ColumnSpec };

/** The column of a field, matching PocketBase's column definitions. */
export function fieldColumn(field: FieldModel): ColumnSpec {
  switch (field.type) {
    case 'text':
      if (field.primaryKey === true) return { kind: 'text', primaryKey: true, notNull: true, defaultValue: '' };
      return { kind: 'text', primaryKey: false, notNull: true, defaultValue: '' };
    case 'number':
      return { kind: 'number', primaryKey: false, notNull: true, defaultValue: 0 };
    case 'bool':
      return { kind: 'bool', primaryKey: false, notNull: true, defaultValue: false };
    case 'json':
      return { kind: 'json', primaryKey: false, notNull: false, defaultValue: null };
    case 'geoPoint':
      return { kind: 'json', primaryKey: false, notNull: true, defaultValue: '{"lon":0,"lat":0}' };
    case 'select':
    case 'file':
    case 'relation':
      return isMultipleField(field)
        ? { kind: 'json', primaryKey: false, notNull: true, defaultValue: '[]' }
        : { kind: 'text', primaryKey: false, notNull: true, defaultValue: '' };
    default:
      return { kind: 'text', primaryKey: false, notNull: true, defaultValue: '' };
  }
}
