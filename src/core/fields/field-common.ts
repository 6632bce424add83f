/**
 * Shared pieces of the field types: option normalisation driven by a small spec, the id/name
 * checks every field runs (PocketBase's DefaultFieldIdValidationRule / DefaultFieldNameValidationRule)
 * and PocketBase's default field id (`type + crc32(name)`).
 */
import { crc32 } from 'node:zlib';
import type { FieldModel } from '../collections/collection-model.js';
import type { ErrorData, FieldError } from '../errors/plinth-error.js';
import { isPlainObject, runeLength, toStr } from './cast.js';
import { err, ozzo } from './field-errors.js';
import { toDateTimeString } from './datetime.js';
import type { ColumnKind, ColumnSpec } from './field-type.js';

/**
 * How an option is read from a submitted definition:
 * `string`, `bool`, `int` (truncated), `number?` (a number or null), `strings?` (a string list or
 * null), `strings` (a string list, default []), `date` (a datetime string, `""` when not parseable).
 */
export type OptionKind = 'string' | 'bool' | 'int' | 'number?' | 'strings?' | 'strings' | 'date';
export type OptionSpec = Record<string, readonly [OptionKind, unknown]>;

const COMMON: OptionSpec = {
  hidden: ['bool', false],
  id: ['string', ''],
  name: ['string', ''],
  presentable: ['bool', false],
  system: ['bool', false],
};

const HELP: OptionSpec = { help: ['string', ''] };

function coerce(kind: OptionKind, value: unknown, fallback: unknown): unknown {
  switch (kind) {
    case 'string':
      return typeof value === 'string' ? value : fallback;
    case 'bool':
      return typeof value === 'boolean' ? value : fallback;
    case 'int':
      return typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : fallback;
    case 'number?':
      return typeof value === 'number' && Number.isFinite(value) ? value : value === null ? null : fallback;
    case 'strings?':
    case 'strings':
      if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
      return value === null && kind === 'strings?' ? null : Array.isArray(fallback) ? [...fallback] : fallback;
    case 'date':
      return toDateTimeString(value);
  }
}

/**
 * Build a type's `defaults()` and `normalizeField()` from its option spec. `help` is included
 * unless `withHelp` is false (PocketBase's autodate has none).
 */
export function fieldShape<F extends FieldModel>(type: string, options: OptionSpec, withHelp = true) {
  const spec: OptionSpec = { ...COMMON, ...(withHelp ? HELP : {}), ...options };
  const keys = [...Object.keys(spec), 'type'].sort();
  const normalize = (raw: unknown): F => {
    const src = isPlainObject(raw) ? raw : {};
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      if (key === 'type') {
        out.type = type;
        continue;
      }
      const entry = spec[key];
      if (!entry) continue;
      const [kind, fallback] = entry;
      const value = src[key];
      out[key] = value === undefined ? (Array.isArray(fallback) ? [...fallback] : fallback) : coerce(kind, value, fallback);
    }
    return out as F;
  };
  return { defaults: () => normalize({}), normalizeField: normalize };
}

/** PocketBase's default id for a field added without one: its type followed by crc32(name). */
export function defaultFieldId(type: string, name: string): string {
  return `${type}${crc32(name) >>> 0}`;
}

const FIELD_NAME = /^\w+$/;
const EXCLUDED_NAMES = ['null', 'true', 'false', '_rowid_', 'collectionId', 'collectionName', 'expand'];

/** The `id` and `name` checks every field type runs. */
export function validateCommonOptions(field: FieldModel, nameCheck?: (name: string) => FieldError | null): ErrorData {
  const out: ErrorData = {};
  const id = typeof field.id === 'string' ? field.id : '';
  if (id === '') out.id = ozzo.required();
  else if (runeLength(id) > 100) out.id = ozzo.lengthOutOfRange(1, 100);

  const name = typeof field.name === 'string' ? field.name : '';
  let nameErr: FieldError | null = null;
  if (name === '') nameErr = ozzo.required();
  else if (runeLength(name) > 100) nameErr = ozzo.lengthOutOfRange(1, 100);
  else if (!FIELD_NAME.test(name)) nameErr = ozzo.match();
  else if (EXCLUDED_NAMES.includes(name)) nameErr = ozzo.notIn();
  else if (name.toLowerCase().includes('_via_')) nameErr = err('validation_found_via', 'The value cannot contain "_via_".');
  else if (nameCheck) nameErr = nameCheck(name);
  if (nameErr) out.name = nameErr;
  return out;
}

/** Merge option errors: null when there are none. */
export function optionErrors(...parts: Array<ErrorData | Record<string, FieldError | ErrorData | null | undefined>>): ErrorData | null {
  const out: ErrorData = {};
  for (const part of parts) {
    for (const [key, value] of Object.entries(part)) {
      if (value) out[key] = value;
    }
  }
  return Object.keys(out).length > 0 ? out : null;
}

/** Each item of a list option checked; errors keyed by index (ozzo's `validation.Each`). */
export function eachError(values: readonly string[] | null | undefined, check: (v: string) => FieldError | null): ErrorData | null {
  if (!values) return null;
  const out: ErrorData = {};
  values.forEach((v, i) => {
    const e = check(v);
    if (e) out[String(i)] = e;
  });
  return Object.keys(out).length > 0 ? out : null;
}

/**
 * The storage and input members of a field kept as one plain string in a TEXT column (email, url,
 * editor): no modifiers, '' as the zero value.
 */
export const plainTextColumn = {
  columnKind: (): ColumnKind => 'text',
  columnDefault: (): ColumnSpec => ({ kind: 'text', notNull: true, defaultValue: '', primaryKey: false }),
  isMultiple: () => false,

  zeroValue: () => '',
  fromDb: (raw: unknown) => toStr(raw),
  toDb: (value: string) => value,
  prepareValue: (raw: unknown) => toStr(raw),

  supportsModifier: () => false,
  applyModifier: (current: unknown) => toStr(current),
};
