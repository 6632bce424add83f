import type { CollectionModel } from '../collections/collection-model.js';
import type { ErrorData, FieldError } from '../errors/plinth-error.js';
import { ozzo } from '../fields/field-errors.js';
import { splitModifierKey } from '../fields/field-type.js';
import type { RecordData } from '../request-info.js';
import { fieldAcceptsInput, fieldApplyModifier, fieldPrepare } from './record-fields.js';

/** The auth form keys that are not stored as such. */
export interface PasswordInput {
  password: string;
  passwordConfirm: string;
  oldPassword: string;
  /** True when the body carried `password` at all. */
  hasPassword: boolean;
}

export interface LoadedForm {
  /** The record with the body applied (a copy). */
  record: RecordData;
  /** Field names the body set. */
  changed: Set<string>;
  /** The body as rules see it (`@request.body`): modifiers resolved under the plain field name. */
  body: Record<string, unknown>;
  passwords: PasswordInput;
}

function str(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

/**
 * Applies a request body to a record the way PocketBase's `ReplaceModifiers` + form load do:
 * keys sorted by length (so `total` comes before `total+`), modifiers applied on the running value,
 * unknown keys ignored (but kept in the rule body), `passwordConfirm`/`oldPassword` kept aside.
 */
export function loadForm(collection: CollectionModel, current: RecordData, input: Record<string, unknown>): LoadedForm {
  const record: RecordData = { ...current };
  const changed = new Set<string>();
  const body: Record<string, unknown> = { ...input };
  const isAuth = collection.type === 'auth';
  const passwords: PasswordInput = { password: '', passwordConfirm: '', oldPassword: '', hasPassword: false };
  const keys = Object.keys(input).sort((a, b) => a.length - b.length);
  for (const key of keys) {
    const raw = input[key];
    if (isAuth && key === 'passwordConfirm') {
      passwords.passwordConfirm = str(raw);
      continue;
    }
    if (isAuth && key === 'oldPassword') {
      passwords.oldPassword = str(raw);
      continue;
    }
    if (isAuth && key === 'password') {
      passwords.password = str(raw);
      passwords.hasPassword = true;
      continue;
    }
    const { name, modifier } = splitModifierKey(key);
    const field = collection.fields.find((f) => f.name === name);
    if (!field || !fieldAcceptsInput(field)) continue;
    if (isAuth && name === 'tokenKey') continue;
    const value = modifier ? fieldApplyModifier(field, record[name], modifier, raw) : fieldPrepare(field, raw);
    if (name === 'id') record.id = typeof value === 'string' ? value : str(value);
    else record[name] = value;
    changed.add(name);
    if (key !== name) delete body[key];
    body[name] = name === 'id' ? record.id : value;
  }
  return { record, changed, body, passwords };
}

function valuesMismatch(): FieldError {
  return ozzo.valuesMismatch();
}

/**
 * PocketBase's auth form checks (forms.RecordUpsert): email/verified changes need manage access,
 * a new password needs its confirmation, and changing one's own password needs the old one.
 * `oldPasswordOk` is consulted only when the old password is required and given.
 */
export function validateAuthForm(args: {
  isNew: boolean;
  manage: boolean;
  original: RecordData | null;
  record: RecordData;
  passwords: PasswordInput;
  oldPasswordOk: boolean;
}): ErrorData {
  const { isNew, manage, original, record, passwords } = args;
  const out: ErrorData = {};
  if (!isNew && !manage && record['email'] !== original?.['email']) out['email'] = valuesMismatch();
  const originalVerified = isNew ? false : original?.['verified'] === true;
  if (!manage && (record['verified'] === true) !== originalVerified) out['verified'] = valuesMismatch();
  const { password, passwordConfirm, oldPassword } = passwords;
  if ((isNew || passwordConfirm !== '' || oldPassword !== '') && password === '') out['password'] = ozzo.required();
  if ((isNew || password !== '' || oldPassword !== '') && passwordConfirm === '') out['passwordConfirm'] = ozzo.required();
  else if (passwordConfirm !== password) out['passwordConfirm'] = valuesMismatch();
  if (!isNew && !manage && (password !== '' || passwordConfirm !== '')) {
    if (oldPassword === '') out['oldPassword'] = ozzo.required();
    else if (!args.oldPasswordOk) out['oldPassword'] = { code: 'validation_invalid_old_password', message: 'Missing or invalid old password.' };
  }
  return out;
}
