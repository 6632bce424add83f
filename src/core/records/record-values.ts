import type { FieldModel } from '../collections/collection-model.js';

/** Field types whose value is a list when `maxSelect > 1`. */
const MULTI_CAPABLE = new Set(['select', 'file', 'relation']);

/** Whether the field holds a list of values (multiple select, file or relation). */
export function isMultiple(field: FieldModel): boolean {
  return MULTI_CAPABLE.has(field.type) && Number(field['maxSelect'] ?? 1) > 1;
}

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string') return text ?? null;
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function toStringList(value: unknown): string[] {
  const parsed = typeof value === 'string' && value.startsWith('[') ? parseJson(value) : value;
  if (Array.isArray(parsed)) return parsed.filter((v) => v !== null && v !== '').map((v) => String(v));
  if (parsed === null || parsed === undefined || parsed === '') return [];
  return [String(parsed)];
}

/** A column value as the API shows it (the field types' `fromDb`). */
export function valueFromDb(field: FieldModel, value: unknown): unknown {
  switch (field.type) {
    case 'bool':
      return value === 1 || value === true || value === '1' || value === 'true';
    case 'number':
      return typeof value === 'number' ? value : Number(value ?? 0) || 0;
    case 'select':
    case 'file':
    case 'relation': {
      const list = toStringList(value);
      return isMultiple(field) ? list : (list[list.length - 1] ?? '');
    }
    case 'json':
      return value === null || value === undefined ? null : parseJson(value);
    case 'geoPoint': {
      const parsed = parseJson(value);
      return parsed && typeof parsed === 'object' ? parsed : { lon: 0, lat: 0 };
    }
    default:
      if (value === null || value === undefined) return '';
      return typeof value === 'string' ? value : String(value);
  }
}

/** An API value as its column stores it (the field types' `toDb`). */
export function valueToDb(field: FieldModel, value: unknown): unknown {
  switch (field.type) {
    case 'bool':
      return value ? 1 : 0;
    case 'number':
      return typeof value === 'number' ? value : 0;
    case 'select':
    case 'file':
    case 'relation':
      if (isMultiple(field)) return JSON.stringify(Array.isArray(value) ? value : toStringList(value));
      return Array.isArray(value) ? String(value[value.length - 1] ?? '') : String(value ?? '');
    case 'json':
      return value === null || value === undefined ? null : JSON.stringify(value);
    case 'geoPoint':
      return JSON.stringify(value ?? { lon: 0, lat: 0 });
    default:
      return value === null || value === undefined ? '' : String(value);
  }
}

/** The related ids of a relation value (single or multiple). */
export function relationIds(value: unknown): string[] {
  return toStringList(value);
}
