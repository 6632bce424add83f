/**
 * Shared behaviour of the fields that hold one id/value or a list of them (select, relation, file):
 * PocketBase stores a single value as text and a list as a JSON array, keeps the last submitted
 * item when only one is allowed, and supports the `+`/`-` modifiers.
 */
import { toUniqueStrings } from './cast.js';
import type { ColumnSpec, DbValue, Modifier } from './field-type.js';

export interface MaxSelectField {
  maxSelect: number;
}

export const isMultipleSelect = (field: MaxSelectField): boolean => field.maxSelect > 1;

/** A list of unique non-empty strings → the API value: the last one (or "") when single. */
export function shapeList(values: string[], multiple: boolean): string | string[] {
  if (multiple) return values;
  return values.length > 0 ? (values[values.length - 1] ?? '') : '';
}

export function normalizeListValue(raw: unknown, field: MaxSelectField): string | string[] {
  return shapeList(toUniqueStrings(raw), isMultipleSelect(field));
}

export function listColumn(field: MaxSelectField): ColumnSpec {
  return isMultipleSelect(field)
    ? { kind: 'json', notNull: true, defaultValue: '[]', primaryKey: false }
    : { kind: 'text', notNull: true, defaultValue: '', primaryKey: false };
}

export function listToDb(value: string | string[], field: MaxSelectField): DbValue {
  const values = toUniqueStrings(value);
  if (isMultipleSelect(field)) return JSON.stringify(values);
  return values.length > 0 ? (values[values.length - 1] ?? '') : '';
}

/** Append, prepend or remove values (PocketBase's appendValue / prependValue / subtractValue). */
export function modifyList(current: unknown, modifier: Modifier, arg: unknown): string[] {
  const cur = toUniqueStrings(current);
  const items = toUniqueStrings(arg);
  switch (modifier) {
    case 'append':
      return toUniqueStrings([...cur, ...items]);
    case 'prepend':
      return toUniqueStrings([...items, ...cur]);
    case 'subtract': {
      const remove = new Set(items);
      return cur.filter((v) => !remove.has(v));
    }
    default:
      return cur;
  }
}

export const LIST_MODIFIERS: readonly Modifier[] = ['append', 'prepend', 'subtract'];
