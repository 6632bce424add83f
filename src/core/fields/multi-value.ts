/**
 * Shared behaviour of the fields that hold one id/value or a list of them (select, relation, file):
 * PocketBase stores a single value as text and a list as a JSON array, keeps the last submitted
 * item when only one is allowed, and supports the `+`/`-` modifiers.
 */
import { toUniqueStrings } from './cast.js';
import type { ColumnKind, ColumnSpec, DbValue, Modifier } from './field-type.js';

export interface MaxSelectField {
  maxSelect: number;
}

export const isMultipleSelect = (field: MaxSelectField): boolean => field.maxSelect > 1;

/** A list of unique non-empty strings → the API value: the last one (or "") when single. */
function shapeList(values: string[], multiple: boolean): string | string[] {
  if (multiple) return values;
  return values.length > 0 ? (values[values.length - 1] ?? '') : '';
}

function normalizeListValue(raw: unknown, field: MaxSelectField): string | string[] {
  return shapeList(toUniqueStrings(raw), isMultipleSelect(field));
}

export function listColumn(field: MaxSelectField): ColumnSpec {
  return isMultipleSelect(field)
    ? { kind: 'json', notNull: true, defaultValue: '[]', primaryKey: false }
    : { kind: 'text', notNull: true, defaultValue: '', primaryKey: false };
}

function listToDb(value: string | string[], field: MaxSelectField): DbValue {
  const shaped = normalizeListValue(value, field);
  return Array.isArray(shaped) ? JSON.stringify(shaped) : shaped;
}

/** Append, prepend or remove values (PocketBase's appendValue / prependValue / subtractValue). */
function modifyList(current: unknown, modifier: Modifier, arg: unknown): string[] {
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

/**
 * The storage and input members of a field holding one id/value or a list of them (select,
 * relation): a TEXT column when single, a JSON array when multiple, and the list modifiers.
 */
export const listValueMembers = {
  columnKind: (field: MaxSelectField): ColumnKind => (isMultipleSelect(field) ? 'json' : 'text'),
  columnDefault: (field: MaxSelectField): ColumnSpec => listColumn(field),
  isMultiple: (field: MaxSelectField) => isMultipleSelect(field),

  zeroValue: (field: MaxSelectField): string | string[] => (isMultipleSelect(field) ? [] : ''),
  fromDb: (raw: unknown, field: MaxSelectField) => normalizeListValue(raw, field),
  toDb: (value: string | string[], field: MaxSelectField) => listToDb(value, field),
  prepareValue: (raw: unknown, field: MaxSelectField) => normalizeListValue(raw, field),

  supportsModifier: (modifier: Modifier) => LIST_MODIFIERS.includes(modifier),
  applyModifier: (current: unknown, modifier: Modifier, arg: unknown, field: MaxSelectField) =>
    shapeList(modifyList(current, modifier, arg), isMultipleSelect(field)),
};
