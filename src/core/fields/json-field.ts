import type { FieldModel } from '../collections/collection-model.js';
import { fieldShape, optionErrors, validateCommonOptions } from './field-common.js';
import { checkRange, err, ozzo } from './field-errors.js';
import type { FieldType } from './field-type.js';

export interface JsonFieldModel extends FieldModel {
  type: 'json';
  help: string;
  /** Max serialised size in bytes; 0 means the default of 5 MiB. */
  maxSize: number;
  /** Rejects null, "", [] and {}. */
  required: boolean;
}

export const JSON_DEFAULT_MAX_SIZE = 5 * 1024 * 1024;

const shape = fieldShape<JsonFieldModel>('json', {
  maxSize: ['int', 0],
  required: ['bool', false],
});

export function jsonMaxSize(field: Pick<JsonFieldModel, 'maxSize'>): number {
  return field.maxSize > 0 ? field.maxSize : JSON_DEFAULT_MAX_SIZE;
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * PocketBase's string normalisation, so JSON and multipart bodies agree: "true", "false", "null",
 * numbers, arrays, objects and double-quoted strings written as JSON text are read as JSON; any
 * other string (the empty string too) is a JSON string.
 */
export function normalizeJsonInput(raw: unknown): unknown {
  if (raw === undefined) return null;
  if (typeof raw !== 'string') return raw;
  if (raw === '') return '';
  if (raw === 'null') return null;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  const c = raw[0] ?? '';
  if ((c >= '0' && c <= '9') || c === '-' || c === '"' || c === '[' || c === '{') {
    const parsed = tryParse(raw);
    if (parsed.ok) return parsed.value;
  }
  return raw;
}

function isEmptyJson(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

export const jsonField: FieldType<JsonFieldModel, unknown> = {
  type: 'json',
  ignoresInput: false,
  ...shape,

  validateOptions: (field) =>
    optionErrors(validateCommonOptions(field), {
      maxSize: checkRange(field.maxSize, 0),
    }),

  columnKind: () => 'json',
  columnDefault: () => ({ kind: 'json', notNull: false, defaultValue: null, primaryKey: false }),
  isMultiple: () => false,

  zeroValue: () => null,
  /** JSON text → value; NULL or "" → null; text that is not JSON is served as a string. */
  fromDb(raw) {
    if (raw === null || raw === undefined) return null;
    const text = typeof raw === 'string' ? raw : raw instanceof Uint8Array ? Buffer.from(raw).toString('utf8') : undefined;
    if (text === undefined) return raw; // drivers that already parse JSON columns
    if (text.trim() === '') return null;
    const parsed = tryParse(text);
    return parsed.ok ? parsed.value : text;
  },
  /** PocketBase stores an empty value as the text `null`, not as SQL NULL. */
  toDb(value) {
    try {
      return JSON.stringify(value === undefined ? null : value) ?? 'null';
    } catch {
      return 'null';
    }
  },
  prepareValue: (raw) => normalizeJsonInput(raw),

  supportsModifier: () => false,
  applyModifier: (current) => normalizeJsonInput(current),

  validateValue(value, field) {
    let text: string | undefined;
    try {
      text = JSON.stringify(value === undefined ? null : value);
    } catch {
      text = undefined;
    }
    if (text === undefined) return err('validation_invalid_json', 'Must be a valid json value.');
    const maxSize = jsonMaxSize(field);
    if (Buffer.byteLength(text, 'utf8') > maxSize) {
      return err('validation_json_size_limit', `The maximum allowed JSON size is ${maxSize} bytes.`, { maxSize });
    }
    if (field.required && isEmptyJson(value)) return ozzo.required();
    return null;
  },
};
