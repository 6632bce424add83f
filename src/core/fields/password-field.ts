/**
 * Password fields store bcrypt hashes, exactly as PocketBase does (`$2a$<cost>$…`). We keep bcrypt
 * rather than a newer KDF so a Plinth data directory stays readable by PocketBase and the other way
 * round: users keep their passwords when moving between the two.
 */
import type * as Bcrypt from 'bcrypt';
import type { FieldModel } from '../collections/collection-model.js';
import { runeLength, toStr } from './cast.js';
import { fieldShape, optionErrors, validateCommonOptions } from './field-common.js';
import { checkMax, checkMin, err, firstError, ozzo } from './field-errors.js';
import type { FieldType } from './field-type.js';
import { matchesGoRegex, regexError } from './regex.js';

export interface PasswordFieldModel extends FieldModel {
  type: 'password';
  help: string;
  pattern: string;
  min: number;
  /** 0 means bcrypt's limit of 71 characters. */
  max: number;
  /** bcrypt cost; 0 means 10. */
  cost: number;
  required: boolean;
}

export const PASSWORD_MAX_LENGTH = 71;
export const BCRYPT_DEFAULT_COST = 10;
export const BCRYPT_MIN_COST = 4;
export const BCRYPT_MAX_COST = 31;

const shape = fieldShape<PasswordFieldModel>('password', {
  cost: ['int', 0],
  max: ['int', 0],
  min: ['int', 0],
  pattern: ['string', ''],
  required: ['bool', false],
});

const BCRYPT_HASH = /^\$2[abxy]?\$(\d{2})\$[./A-Za-z0-9]{53}$/;

/** Whether a value is a bcrypt hash (a stored password) rather than a plain password. */
export function isBcryptHash(value: unknown): value is string {
  return typeof value === 'string' && BCRYPT_HASH.test(value);
}

/** The cost a bcrypt hash was made with, or undefined when the value is not a bcrypt hash. */
export function bcryptCost(value: unknown): number | undefined {
  const match = typeof value === 'string' ? BCRYPT_HASH.exec(value) : null;
  return match ? Number(match[1]) : undefined;
}

/** The native bcrypt binding, loaded with the first hash or check (not at start-up). */
let bcryptModule: Promise<typeof Bcrypt> | null = null;
const bcryptLib = () => (bcryptModule ??= import('bcrypt'));

/** Hash a plain password with the field's cost (default 10), in PocketBase's `$2a$` form. */
export async function hashPassword(plain: string, field?: Pick<PasswordFieldModel, 'cost'>): Promise<string> {
  const cost = field && field.cost > 0 ? field.cost : BCRYPT_DEFAULT_COST;
  const bcrypt = await bcryptLib();
  const salt = await bcrypt.genSalt(cost, 'a');
  return bcrypt.hash(plain, salt);
}

/** Check a plain password against a stored hash; false for an empty or malformed hash. */
export async function verifyPassword(plain: string, hash: unknown): Promise<boolean> {
  if (typeof hash !== 'string' || !hash.startsWith('$2')) return false;
  try {
    return await (await bcryptLib()).compare(plain, hash);
  } catch {
    return false;
  }
}

export interface PasswordFieldType extends FieldType<PasswordFieldModel, string> {
  hash(plain: string, field: PasswordFieldModel): Promise<string>;
  verify(plain: string, hash: string): Promise<boolean>;
}

/**
 * Values: a plain password as submitted, or the stored bcrypt hash (what the records service passes
 * when the password is not being changed). Hash plain values with `hash()` before `toDb()`.
 */
export const passwordField: PasswordFieldType = {
  type: 'password',
  ignoresInput: false,
  ...shape,

  validateOptions(field) {
    return optionErrors(validateCommonOptions(field), {
      min: firstError(
        () => checkMin(field.min, 1),
        () => checkMax(field.min, PASSWORD_MAX_LENGTH),
      ),
      max: firstError(
        () => checkMin(field.max, field.min),
        () => checkMax(field.max, PASSWORD_MAX_LENGTH),
      ),
      cost: firstError(
        () => checkMin(field.cost, BCRYPT_MIN_COST),
        () => checkMax(field.cost, BCRYPT_MAX_COST),
      ),
      pattern: (() => {
        const e = field.pattern === '' ? null : regexError(field.pattern);
        return e ? err('validation_invalid_regex', e) : null;
      })(),
    });
  },

  columnKind: () => 'text',
  columnDefault: () => ({ kind: 'text', notNull: true, defaultValue: '', primaryKey: false }),
  isMultiple: () => false,

  zeroValue: () => '',
  /** Write-only: the API never sees the hash (read the raw column to verify a login). */
  fromDb: () => '',
  /** Only hashes are stored: a plain password reaching this point is a programming error. */
  toDb(value) {
    if (value === '' || isBcryptHash(value)) return value;
    throw new Error('password values must be hashed (passwordField.hash) before they are stored');
  },
  prepareValue: (raw) => toStr(raw),

  supportsModifier: () => false,
  applyModifier: (current) => toStr(current),

  validateValue(value, field) {
    if (typeof value !== 'string') return err('validation_unsupported_value_type', 'Invalid or unsupported value type.');
    if (isBcryptHash(value)) return null; // the stored password, unchanged
    if (value === '') return field.required ? ozzo.required() : null;
    const length = runeLength(value);
    if (length < field.min) return err('validation_min_text_constraint', `Must be at least ${field.min} character(s).`);
    const max = field.max > 0 ? field.max : PASSWORD_MAX_LENGTH;
    if (length > max) return err('validation_max_text_constraint', `Must be less than ${max} character(s).`);
    if (field.pattern !== '' && !matchesGoRegex(field.pattern, value)) return err('validation_invalid_format', 'Invalid value format.');
    return null;
  },

  hash: (plain, field) => hashPassword(plain, field),
  verify: (plain, hash) => verifyPassword(plain, hash),
};
