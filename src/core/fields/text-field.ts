import type { FieldModel } from '../collections/collection-model.js';
import type { FieldError } from '../errors/plinth-error.js';
import { runeLength, toStr } from './cast.js';
import { optionErrors, fieldShape, validateCommonOptions } from './field-common.js';
import { checkRange, err, firstError, ozzo } from './field-errors.js';
import type { FieldType } from './field-type.js';
import { randomStringFromPattern, patternGenerationError } from './random.js';
import { matchesGoRegex, regexError } from './regex.js';

export interface TextFieldModel extends FieldModel {
  type: 'text';
  help: string;
  min: number;
  /** 0 means the default limit of 5000 characters. */
  max: number;
  pattern: string;
  autogeneratePattern: string;
  required: boolean;
  primaryKey: boolean;
}

export const TEXT_DEFAULT_MAX = 5000;
/** The pattern of PocketBase's default `id` field. */
export const DEFAULT_ID_PATTERN = '^[a-z0-9]+$';

const FORBIDDEN_PK_CHARS = ['.', '/', '\\', '|', '"', "'", '`', '<', '>', ':', '?', '*', '%', '$', '\0', '\t', '\n', '\r', ' '];
const RESERVED_PKS = ['CON', 'PRN', 'AUX', 'NUL', ...[1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((n) => [`COM${n}`, `LPT${n}`])];

const shape = fieldShape<TextFieldModel>('text', {
  autogeneratePattern: ['string', ''],
  max: ['int', 0],
  min: ['int', 0],
  pattern: ['string', ''],
  primaryKey: ['bool', false],
  required: ['bool', false],
});

/** PocketBase's `TextField.ValidatePlainValue`: required, rune-length bounds, pattern, primary-key characters. */
export function validateTextPlain(value: string, field: TextFieldModel): FieldError | null {
  if ((field.required || field.primaryKey) && value === '') return ozzo.required();
  if (value === '') return null;
  const length = runeLength(value);
  if (field.min > 0 && length < field.min) {
    return err('validation_min_text_constraint', `Must be at least ${field.min} character(s).`, { min: field.min });
  }
  const max = field.max === 0 ? TEXT_DEFAULT_MAX : field.max;
  if (max > 0 && length > max) {
    return err('validation_max_text_constraint', `Must be no more than ${max} character(s).`, { max });
  }
  if (field.pattern !== '' && !matchesGoRegex(field.pattern, value)) {
    return err('validation_invalid_format', 'Invalid value format.');
  }
  if (field.primaryKey && field.pattern !== DEFAULT_ID_PATTERN) {
    for (const ch of FORBIDDEN_PK_CHARS) {
      if (value.includes(ch)) {
        return err('validation_forbidden_pk_character', `'${ch}' is not a valid primary key character.`, { ch });
      }
    }
    if (length <= 4) {
      const reserved = RESERVED_PKS.find((r) => r.toLowerCase() === value.toLowerCase());
      if (reserved) {
        return err('validation_reserved_pk', `The primary key '${reserved}' is reserved and cannot be used.`, { reserved });
      }
    }
  }
  return null;
}

/** A value generated from the field's `autogeneratePattern` ("" when it has none or it cannot be generated). */
export function autogenerateText(field: Pick<TextFieldModel, 'autogeneratePattern'>): string {
  if (!field.autogeneratePattern) return '';
  try {
    return randomStringFromPattern(field.autogeneratePattern);
  } catch {
    return '';
  }
}

function checkAutogeneratePattern(field: TextFieldModel): FieldError | null {
  const pattern = field.autogeneratePattern;
  if (pattern === '') return null;
  const regexErr = regexError(pattern);
  if (regexErr) return err('validation_invalid_regex', regexErr);
  const genErr = patternGenerationError(pattern);
  if (genErr) return err('validation_invalid_autogenerate_pattern', genErr);
  // as PocketBase: 10 samples must satisfy the field's own constraints
  for (let i = 0; i < 10; i++) {
    const generated = randomStringFromPattern(pattern);
    if (validateTextPlain(generated, field)) {
      return err(
        'validation_invalid_autogenerate_pattern_value',
        `The provided autogenerate pattern could produce invalid field values, ex.: ${JSON.stringify(generated)}`,
      );
    }
  }
  return null;
}

export const textField: FieldType<TextFieldModel, string> = {
  type: 'text',
  ignoresInput: false,
  ...shape,

  validateOptions(field, ctx) {
    const pkCount = ctx.collection.fields.filter((f) => f.type === 'text' && f.primaryKey === true).length;
    return optionErrors(
      validateCommonOptions(field, (name) =>
        field.primaryKey && name !== 'id' ? err('validation_in_invalid', 'The primary key must be named "id".') : null,
      ),
      {
        primaryKey:
          field.primaryKey && pkCount > 1
            ? err('validation_unsupported_composite_pk', 'Composite PKs are not supported and the collection must have only 1 PK.')
            : null,
        min: checkRange(field.min, 0),
        max: checkRange(field.max, field.min),
        pattern: firstError(
          () => (field.primaryKey && field.pattern === '' ? ozzo.required() : null),
          () => {
            const e = field.pattern === '' ? null : regexError(field.pattern);
            return e ? err('validation_invalid_regex', e) : null;
          },
        ),
        hidden: field.primaryKey && field.hidden ? ozzo.empty() : null,
        required: field.primaryKey && !field.required ? ozzo.required() : null,
        autogeneratePattern: checkAutogeneratePattern(field),
      },
    );
  },

  columnKind: () => 'text',
  columnDefault: (field) =>
    field.primaryKey
      ? { kind: 'text', notNull: true, defaultValue: null, primaryKey: true }
      : { kind: 'text', notNull: true, defaultValue: '', primaryKey: false },
  isMultiple: () => false,

  zeroValue: () => '',
  fromDb: (raw) => toStr(raw),
  toDb: (value) => value,
  prepareValue: (raw) => toStr(raw),

  supportsModifier: (modifier) => modifier === 'autogenerate',
  applyModifier(current, modifier, arg, field) {
    if (modifier !== 'autogenerate') return toStr(current);
    return toStr(arg) + autogenerateText(field);
  },

  validateValue(value, field, ctx) {
    if (typeof value !== 'string') return err('validation_unsupported_value_type', 'Invalid or unsupported value type.');
    if (field.primaryKey && !ctx.isNew) {
      const oldVal = toStr(ctx.original?.[field.name]);
      if (oldVal !== value) return err('validation_pk_change', 'The record primary key cannot be changed.');
      // ids imported from elsewhere may not follow today's rules: never re-validate a stored id
      if (oldVal !== '') return null;
    }
    const plainErr = validateTextPlain(value, field);
    if (plainErr) return plainErr;
    if (field.primaryKey && ctx.isNew && value !== '' && field.pattern !== DEFAULT_ID_PATTERN) {
      // PocketBase also rejects ids that differ only by case from an existing one (COLLATE NOCASE);
      // here the store's `recordsExist` decides how strictly ids are compared.
      return ctx
        .recordsExist(ctx.collection.id, [value])
        .then((existing) => (existing.length > 0 ? err('validation_pk_invalid', 'The record primary key is invalid or already exists.') : null));
    }
    return null;
  },

  onCreate(value, field) {
    if (value === '' && field.autogeneratePattern) return autogenerateText(field);
    return value;
  },
};
