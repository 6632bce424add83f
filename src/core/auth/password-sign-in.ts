import type { CollectionModel } from '../collections/collection-model.js';
import { findSingleColumnUniqueIndex } from '../collections/index-parser.js';
import { errors, fieldError, type ErrorData } from '../errors/plinth-error.js';
import type { RecordData } from '../request-info.js';
import type { AuthRecordPort } from './auth-ports.js';
import { burnPasswordCheck, verifyPassword } from './password-check.js';

/** The `auth-with-password` body after validation. */
export interface PasswordForm {
  identity: string;
  password: string;
  /** Empty for automatic detection (email first, then the other identity fields). */
  identityField: string;
}

// The loose email check PocketBase (ozzo-validation's is.EmailFormat) applies to pick the email field first.
const EMAIL_FORMAT = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function asString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

function lengthError(value: string, name: string, data: ErrorData, required: boolean): void {
  const length = [...value].length;
  if (length === 0) {
    if (required) data[name] = fieldError('validation_required', 'Cannot be blank.');
  } else if (length > 255) {
    data[name] = fieldError('validation_length_out_of_range', 'The length must be between 1 and 255.', { min: 1, max: 255 });
  }
}

/** Validates the form like PocketBase (`identity`/`password` required, `identityField` one of the allowed). */
export function validatePasswordForm(body: Record<string, unknown>, identityFields: readonly string[]): PasswordForm {
  const form: PasswordForm = {
    identity: asString(body.identity),
    password: asString(body.password),
    identityField: asString(body.identityField),
  };
  const data: ErrorData = {};
  lengthError(form.identity, 'identity', data, true);
  lengthError(form.password, 'password', data, true);
  lengthError(form.identityField, 'identityField', data, false);
  if (form.identityField && !data.identityField && !identityFields.includes(form.identityField)) {
    data.identityField = fieldError('validation_in_invalid', 'Must be a valid value.');
  }
  if (Object.keys(data).length > 0) throw errors.validation(data, 'An error occurred while validating the submitted data.');
  return form;
}

async function findByIdentityField(
  records: AuthRecordPort,
  collection: CollectionModel,
  identityFields: readonly string[],
  field: string,
  value: string,
): Promise<RecordData | null> {
  if (!identityFields.includes(field)) return null;
  // PocketBase only searches identity fields backed by a single-column unique index.
  const index = findSingleColumnUniqueIndex(collection.indexes, field);
  if (!index) return null;
  const caseInsensitive = (index.columns[0]?.collate ?? '').toLowerCase() === 'nocase';
  return records.findFirstByField(collection, field, value, { caseInsensitive });
}

/**
 * Finds the record for the credentials, or null. Email-looking identities are searched by email
 * first; the others by each identity field in order. The bcrypt comparison always runs (against
 * a dummy hash when there is no record), so unknown accounts and wrong passwords answer alike.
 */
export async function findByPassword(
  records: AuthRecordPort,
  collection: CollectionModel,
  form: PasswordForm,
): Promise<RecordData | null> {
  const identityFields = (collection.options.passwordAuth as { identityFields?: string[] } | undefined)?.identityFields ?? ['email'];
  let record: RecordData | null = null;
  if (form.identityField) {
    record = await findByIdentityField(records, collection, identityFields, form.identityField, form.identity);
  } else {
    const isEmail = EMAIL_FORMAT.test(form.identity);
    if (isEmail && identityFields.includes('email')) {
      record = await findByIdentityField(records, collection, identityFields, 'email', form.identity);
    }
    if (!record) {
      for (const name of identityFields) {
        if (name === 'email') continue;
        record = await findByIdentityField(records, collection, identityFields, name, form.identity);
        if (record) break;
      }
    }
  }
  if (!record) {
    await burnPasswordCheck(form.password);
    return null;
  }
  return (await verifyPassword(form.password, record.password)) ? record : null;
}
