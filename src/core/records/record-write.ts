/**
 * The write path of records inside a transaction: server-set values of a new record, password
 * hashing, auth-record secrets (tokenKey rotation, unique auth ids) and the row insert/update.
 */
import type { CollectionModel } from '../collections/collection-model.js';
import type { SchemaRegistry } from '../collections/schema-registry.js';
import { errors } from '../errors/plinth-error.js';
import { splitModifierKey } from '../fields/field-type.js';
import { isBcryptHash, passwordField, type PasswordFieldModel } from '../fields/password-field.js';
import { newRecordId, randomString } from '../fields/random.js';
import type { RecordData } from '../request-info.js';
import { fieldStamp, fieldZero } from './record-fields.js';
import { loadForm, type LoadedForm } from './record-form.js';
import type { RecordRepository } from './record-repository.js';
import { recordToRow, rowToRecord } from './record-rows.js';

/** A blank record of `collection`: every field's zero value, no id yet. */
export function newRecord(collection: CollectionModel): RecordData {
  const record: Record<string, unknown> = {};
  for (const field of collection.fields) record[field.name] = fieldZero(field);
  record['id'] = '';
  return record as RecordData;
}

/** Fills the server-set values of a new record (generated id and text, autodates) before validation. */
export function stampCreate(collection: CollectionModel, form: LoadedForm): LoadedForm {
  const now = new Date();
  const record: RecordData = { ...form.record };
  for (const field of collection.fields) {
    const value = field.name === 'id' ? record.id : record[field.name];
    const stamped = fieldStamp(field, value, 'create', now);
    if (field.name === 'id') record.id = typeof stamped === 'string' ? stamped : record.id;
    else record[field.name] = stamped;
  }
  if (!record.id) record.id = newRecordId();
  return { ...form, record };
}

/** Inserts a validated new record (hashes, auth secrets, `verified`) and returns it as stored. */
export async function insertRecord(schema: SchemaRegistry, collection: CollectionModel, form: LoadedForm, tx: RecordRepository, verified: boolean): Promise<RecordData> {
  const record: RecordData = { ...form.record };
  await hashPasswordFields(collection, record);
  if (collection.type === 'auth') {
    if (form.passwords.password !== '') record['password'] = await hashPassword(collection, form.passwords.password);
    if (typeof record['tokenKey'] !== 'string' || record['tokenKey'] === '') record['tokenKey'] = randomString(50);
    record['verified'] = verified;
  }
  await checkAuthId(schema, collection, record.id, tx);
  await tx.insert(collection, recordToRow(collection, record));
  return record;
}

/** Writes a validated update of `existing` (modifiers re-applied under a row lock) and returns it as stored. */
export async function updateRecord(collection: CollectionModel, existing: RecordData, form: LoadedForm, tx: RecordRepository, input?: Record<string, unknown>): Promise<RecordData> {
  // modifiers (`views+`, `tags-`) are re-applied to the row as locked in this transaction, so
  // that parallel updates of one record never lose one (docs/choosing-a-database.md)
  if (input && Object.keys(input).some((key) => splitModifierKey(key).modifier !== null)) {
    const row = await tx.lockForUpdate(collection, existing.id);
    if (row) form = { ...loadForm(collection, rowToRecord(collection, row), input), passwords: form.passwords };
  }
  const now = new Date();
  const record: RecordData = { ...form.record, id: existing.id };
  for (const field of collection.fields) record[field.name] = fieldStamp(field, record[field.name], 'update', now);
  record.id = existing.id;
  await hashPasswordFields(collection, record);
  if (collection.type === 'auth') {
    if (form.passwords.password !== '') record['password'] = await hashPassword(collection, form.passwords.password);
    const rotated = form.passwords.password !== '' || record['email'] !== existing['email'];
    if (rotated && record['tokenKey'] === existing['tokenKey']) record['tokenKey'] = randomString(50);
  }
  await tx.update(collection, existing.id, recordToRow(collection, record));
  return record;
}

/**
 * Hashes the plain values of password-type fields other than an auth collection's own
 * `password` (which goes through the auth form). Stored hashes pass through unchanged.
 */
async function hashPasswordFields(collection: CollectionModel, record: RecordData): Promise<void> {
  for (const field of collection.fields) {
    if (field.type !== 'password' || (collection.type === 'auth' && field.name === 'password')) continue;
    const value = record[field.name];
    if (typeof value === 'string' && value !== '' && !isBcryptHash(value)) {
      record[field.name] = await passwordField.hash(value, field as PasswordFieldModel);
    }
  }
}

async function hashPassword(collection: CollectionModel, plain: string): Promise<string> {
  const field = collection.fields.find((f) => f.name === 'password') as PasswordFieldModel | undefined;
  return passwordField.hash(plain, field ?? ({ cost: 0 } as PasswordFieldModel));
}

/** An auth record's id must not be taken by a record of another auth collection. */
async function checkAuthId(schema: SchemaRegistry, collection: CollectionModel, id: string, repo: RecordRepository): Promise<void> {
  if (collection.type !== 'auth') return;
  for (const other of schema.all()) {
    if (other.type !== 'auth' || other.id === collection.id) continue;
    if ((await repo.existingIds(other, [id])).length > 0) throw errors.validation({ id: { code: 'validation_invalid_auth_id', message: 'Invalid or duplicated auth record id.' } });
  }
}
