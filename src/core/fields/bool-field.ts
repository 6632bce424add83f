import type { FieldModel } from '../collections/collection-model.js';
import { toBool } from './cast.js';
import { fieldShape, optionErrors, validateCommonOptions } from './field-common.js';
import { err, ozzo } from './field-errors.js';
import type { FieldType } from './field-type.js';

export interface BoolFieldModel extends FieldModel {
  type: 'bool';
  help: string;
  /** Requires the value to be `true`. */
  required: boolean;
}

const shape = fieldShape<BoolFieldModel>('bool', { required: ['bool', false] });

export const boolField: FieldType<BoolFieldModel, boolean> = {
  type: 'bool',
  ignoresInput: false,
  ...shape,

  validateOptions: (field) => optionErrors(validateCommonOptions(field)),

  columnKind: () => 'bool',
  columnDefault: () => ({ kind: 'bool', notNull: true, defaultValue: false, primaryKey: false }),
  isMultiple: () => false,

  zeroValue: () => false,
  /** SQLite gives 0/1, PostgreSQL true/false, MySQL 0/1 (sometimes as strings). */
  fromDb: (raw) => toBool(raw),
  toDb: (value) => value,
  prepareValue: (raw) => toBool(raw),

  supportsModifier: () => false,
  applyModifier: (current) => toBool(current),

  validateValue(value, field) {
    if (typeof value !== 'boolean') return err('validation_unsupported_value_type', 'Invalid or unsupported value type.');
    return field.required && !value ? ozzo.required() : null;
  },
};
