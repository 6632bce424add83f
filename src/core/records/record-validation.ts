/** Validation of a submitted record form: the auth-record form checks, then every field's value. */
import type { CollectionModel } from '../collections/collection-model.js';
import type { SchemaRegistry } from '../collections/schema-registry.js';
import { errors, type ErrorData } from '../errors/plinth-error.js';
import { passwordField } from '../fields/password-field.js';
import type { RecordData } from '../request-info.js';
import { fieldValidate } from './record-fields.js';
import { validateAuthForm, type LoadedForm } from './record-form.js';
import type { RecordRepository } from './record-repository.js';

/**
 * Throws a validation error unless `form` is valid for `collection`: for auth collections the
 * password/email/verified form rules at the caller's `manage` level (checking `oldPassword`
 * against the stored hash), then the primary key and every field (relations looked up in `repo`).
 */
export async function validateRecordForm(
  schema: SchemaRegistry, collection: CollectionModel, form: LoadedForm, original: RecordData | null, manage: boolean, repo: RecordRepository,
): Promise<void> {
  const isNew = original === null;
  if (collection.type === 'auth') {
    const passwords = form.passwords;
    let oldPasswordOk = false;
    if (!isNew && !manage && passwords.oldPassword !== '') {
      const hash = original?.['password'];
      oldPasswordOk = typeof hash === 'string' && hash !== '' && (await passwordField.verify(passwords.oldPassword, hash));
    }
    const formErrors = validateAuthForm({ isNew, manage, original, record: form.record, passwords, oldPasswordOk });
    if (Object.keys(formErrors).length > 0) throw errors.validation(formErrors);
  }
  const out: ErrorData = {};
  if (!isNew && form.record.id !== original.id) {
    out['id'] = { code: 'validation_pk_change', message: 'The record primary key cannot be changed.' };
  }
  const ctx = {
    collection, isNew, original,
    findCollection: (ref: string) => schema.find(ref),
    recordsExist: async (collectionId: string, ids: readonly string[]) => {
      const target = schema.find(collectionId);
      return target ? repo.existingIds(target, ids) : [];
    },
  };
  for (const field of collection.fields) {
    if (out[field.name]) continue;
    if (collection.type === 'auth' && field.name === 'password') {
      const e = await fieldValidate(field, form.passwords.password || (original?.['password'] ?? ''), ctx);
      if (e) out[field.name] = e;
      continue;
    }
    if (field.name === 'id' && !isNew) continue;
    if (collection.type === 'auth' && field.name === 'tokenKey') continue;
    if (field.type === 'autodate') continue;
    const value = field.name === 'id' ? form.record.id : form.record[field.name];
    const e = await fieldValidate(field, value, ctx);
    if (e) out[field.name] = e;
  }
  if (Object.keys(out).length > 0) throw errors.validation(out);
}
