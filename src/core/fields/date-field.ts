import type { FieldModel } from '../collections/collection-model.js';
import { fieldShape, optionErrors, plainTextColumn, validateCommonOptions } from './field-common.js';
import { err, ozzo } from './field-errors.js';
import type { FieldType } from './field-type.js';
import { goTimeString, isDateTimeLayout, parseDateTime, toDateTimeString } from './datetime.js';

export interface DateFieldModel extends FieldModel {
  type: 'date';
  help: string;
  /** Earliest accepted date (`2006-01-02 15:04:05.000Z`), `""` for none. */
  min: string;
  /** Latest accepted date, `""` for none. */
  max: string;
  required: boolean;
}

const shape = fieldShape<DateFieldModel>('date', {
  max: ['date', ''],
  min: ['date', ''],
  required: ['bool', false],
});

/** A DB datetime column → API string: stored values already in the layout pass through untouched. */
function dateFromDb(raw: unknown): string {
  if (typeof raw === 'string' && isDateTimeLayout(raw)) return raw;
  if (raw instanceof Date) return toDateTimeString(raw);
  return toDateTimeString(typeof raw === 'string' ? raw : '');
}

/**
 * The storage and input members of a datetime kept as text in PocketBase's layout (date,
 * autodate): a plain text column whose values are read and converted as datetimes.
 */
export const dateTimeMembers = {
  ...plainTextColumn,
  fromDb: (raw: unknown) => dateFromDb(raw),
  prepareValue: (raw: unknown) => toDateTimeString(raw),
  applyModifier: (current: unknown) => toDateTimeString(current),
};

export const dateField: FieldType<DateFieldModel, string> = {
  type: 'date',
  ignoresInput: false,
  ...shape,

  validateOptions(field) {
    let maxErr = null;
    const max = parseDateTime(field.max);
    const min = parseDateTime(field.min);
    if (max && min && max.getTime() < min.getTime()) maxErr = ozzo.dateOutOfRange();
    return optionErrors(validateCommonOptions(field), { max: maxErr });
  },

  ...dateTimeMembers,

  validateValue(value, field) {
    if (typeof value !== 'string') return err('validation_unsupported_value_type', 'Invalid or unsupported value type.');
    const date = parseDateTime(value);
    if (!date) return field.required ? ozzo.required() : null;
    const min = parseDateTime(field.min);
    if (min && date.getTime() < min.getTime()) return ozzo.min(goTimeString(min));
    const max = parseDateTime(field.max);
    if (max && date.getTime() > max.getTime()) return ozzo.max(goTimeString(max));
    return null;
  },
};
