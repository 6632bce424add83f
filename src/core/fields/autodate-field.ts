import type { FieldModel } from '../collections/collection-model.js';
import { fieldShape, optionErrors, validateCommonOptions } from './field-common.js';
import { err, ozzo } from './field-errors.js';
import type { FieldType } from './field-type.js';
import { formatDateTime } from './datetime.js';
import { dateTimeMembers } from './date-field.js';

/** A datetime set by the server: `created` (onCreate) and `updated` (onCreate + onUpdate). */
export interface AutodateFieldModel extends FieldModel {
  type: 'autodate';
  onCreate: boolean;
  onUpdate: boolean;
}

// PocketBase's autodate has no `help` option (see the fixture's `created`/`updated` fields).
const shape = fieldShape<AutodateFieldModel>(
  'autodate',
  {
    onCreate: ['bool', false],
    onUpdate: ['bool', false],
  },
  false,
);

const eitherMessage = 'either onCreate or onUpdate must be enabled';

/**
 * The value an autodate field gets for `action`, or undefined when it keeps its value.
 * `now` defaults to the current time.
 */
export function autodateStamp(field: Pick<AutodateFieldModel, 'onCreate' | 'onUpdate'>, action: 'create' | 'update', now: Date = new Date()): string | undefined {
  if (action === 'create' ? field.onCreate : field.onUpdate) return formatDateTime(now);
  return undefined;
}

export const autodateField: FieldType<AutodateFieldModel, string> = {
  type: 'autodate',
  ignoresInput: true,
  ...shape,

  validateOptions(field, ctx) {
    // system autodate fields (created/updated) keep their behaviour
    const old = ctx.oldCollection?.fields.find((f) => f.id === field.id && f.type === 'autodate');
    const oldOnCreate = old ? old.onCreate === true : field.onCreate;
    const oldOnUpdate = old ? old.onUpdate === true : field.onUpdate;
    return optionErrors(validateCommonOptions(field), {
      onCreate:
        field.system && field.onCreate !== oldOnCreate
          ? ozzo.valuesMismatch()
          : !field.onUpdate && !field.onCreate
            ? err('validation_required', eitherMessage)
            : null,
      onUpdate:
        field.system && field.onUpdate !== oldOnUpdate
          ? ozzo.valuesMismatch()
          : !field.onCreate && !field.onUpdate
            ? err('validation_required', eitherMessage)
            : null,
    });
  },

  ...dateTimeMembers,

  validateValue: () => null,

  onCreate: (value, field, now) => autodateStamp(field, 'create', now) ?? value,
  onUpdate: (value, field, now) => autodateStamp(field, 'update', now) ?? value,
};
