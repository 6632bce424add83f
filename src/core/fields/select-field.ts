import type { FieldModel } from '../collections/collection-model.js';
import { toUniqueStrings } from './cast.js';
import { fieldShape, optionErrors, validateCommonOptions } from './field-common.js';
import { checkRange, err, ozzo } from './field-errors.js';
import type { FieldType } from './field-type.js';
import { listValueMembers } from './multi-value.js';

export interface SelectFieldModel extends FieldModel {
  type: 'select';
  help: string;
  values: string[] | null;
  /** > 1 makes the field multiple (a list value); 0 or 1 single. */
  maxSelect: number;
  required: boolean;
}

const shape = fieldShape<SelectFieldModel>('select', {
  maxSelect: ['int', 0],
  required: ['bool', false],
  values: ['strings?', null],
});

export const selectField: FieldType<SelectFieldModel, string | string[]> = {
  type: 'select',
  ignoresInput: false,
  ...shape,

  validateOptions(field) {
    const values = field.values ?? [];
    const max = Math.max(values.length, 1);
    return optionErrors(validateCommonOptions(field), {
      values: values.length === 0 ? ozzo.required() : null,
      maxSelect: checkRange(field.maxSelect, 0, max),
    });
  },

  ...listValueMembers,

  validateValue(value, field) {
    const values = toUniqueStrings(value);
    if (values.length === 0) return field.required ? ozzo.required() : null;
    const maxSelect = Math.max(field.maxSelect, 1);
    if (values.length > maxSelect) {
      return err('validation_too_many_values', `Select no more than ${maxSelect}.`, { maxSelect });
    }
    const allowed = field.values ?? [];
    for (const v of values) {
      if (!allowed.includes(v)) return err('validation_invalid_value', `Invalid value ${v}.`, { value: v });
    }
    return null;
  },
};
