import type { FieldModel } from '../collections/collection-model.js';
import type { FieldError } from '../errors/plinth-error.js';
import { toFloat } from './cast.js';
import { fieldShape, optionErrors, validateCommonOptions } from './field-common.js';
import { checkMin, err, firstError, ozzo } from './field-errors.js';
import type { FieldType } from './field-type.js';

export interface NumberFieldModel extends FieldModel {
  type: 'number';
  help: string;
  /** null: no lower bound. */
  min: number | null;
  /** null: no upper bound. */
  max: number | null;
  onlyInt: boolean;
  required: boolean;
}

const shape = fieldShape<NumberFieldModel>('number', {
  max: ['number?', null],
  min: ['number?', null],
  onlyInt: ['bool', false],
  required: ['bool', false],
});

/** Go's `%f`: six decimals. */
const goF = (n: number) => n.toFixed(6);

function onlyIntError(field: NumberFieldModel, v: number | null): FieldError | null {
  if (v === null || !field.onlyInt) return null;
  return Number.isInteger(v) ? null : err('validation_only_int_constraint', 'Decimal numbers are not allowed.');
}

export const numberField: FieldType<NumberFieldModel, number> = {
  type: 'number',
  ignoresInput: false,
  ...shape,

  validateOptions(field) {
    return optionErrors(validateCommonOptions(field), {
      min: onlyIntError(field, field.min),
      max: firstError(
        () => onlyIntError(field, field.max),
        () => (field.min !== null && field.max !== null ? checkMin(field.max, field.min) : null),
      ),
    });
  },

  columnKind: () => 'number',
  columnDefault: () => ({ kind: 'number', notNull: true, defaultValue: 0, primaryKey: false }),
  isMultiple: () => false,

  zeroValue: () => 0,
  fromDb: (raw) => {
    const n = toFloat(raw);
    return Number.isFinite(n) ? n : 0;
  },
  toDb: (value) => value,
  prepareValue: (raw) => toFloat(raw),

  supportsModifier: (modifier) => modifier === 'append' || modifier === 'subtract',
  applyModifier(current, modifier, arg) {
    const base = toFloat(current);
    if (modifier === 'append') return base + toFloat(arg);
    if (modifier === 'subtract') return base - toFloat(arg);
    return base;
  },

  validateValue(value, field) {
    if (typeof value !== 'number') return err('validation_unsupported_value_type', 'Invalid or unsupported value type.');
    if (!Number.isFinite(value)) return err('validation_not_a_number', 'The submitted number is not properly formatted.');
    if (value === 0) return field.required ? ozzo.required() : null;
    if (field.onlyInt && !Number.isInteger(value)) return err('validation_only_int_constraint', 'Decimal numbers are not allowed.');
    if (field.min !== null && value < field.min) {
      return err('validation_min_number_constraint', `Must be larger than ${goF(field.min)}.`);
    }
    if (field.max !== null && value > field.max) {
      return err('validation_max_number_constraint', `Must be less than ${goF(field.max)}.`);
    }
    return null;
  },
};
