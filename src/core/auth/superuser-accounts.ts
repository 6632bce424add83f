import type { CollectionModel } from '../collections/collection-model.js';
import type { SchemaRegistry } from '../collections/schema-registry.js';
import { errors, fieldError } from '../errors/plinth-error.js';
import { SUPERUSERS_COLLECTION, type RecordData } from '../request-info.js';
import type { AuthRecordPort, AuthRecordWriter } from './auth-ports.js';

/** The smallest password length accepted for a superuser (PocketBase's password field minimum). */
export const MIN_SUPERUSER_PASSWORD = 8;
const EMAIL_FORMAT = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Outcome of a superuser account command, for the CLI to print. */
export type SuperuserChange = 'created' | 'updated' | 'deleted' | 'missing';

/**
 * Superuser account management for the CLI (`plinth superuser create|update|upsert|delete`),
 * through the records service so that validation, hashing and ids follow the same rules as the
 * API. A password change rotates the `tokenKey` (records service), which invalidates every token issued before.
 */
export class SuperuserAccounts {
  readonly #schema: SchemaRegistry;
  readonly #records: AuthRecordPort & AuthRecordWriter;

  constructor(schema: SchemaRegistry, records: AuthRecordPort & AuthRecordWriter) {
    this.#schema = schema;
    this.#records = records;
  }

  /** Creates a superuser; fails when the email is taken. */
  async create(email: string, password: string): Promise<RecordData> {
    checkEmail(email);
    checkPassword(password);
    const collection = this.#collection();
    if (await this.find(email)) {
      throw errors.validation({ email: fieldError('validation_not_unique', 'Value must be unique.') }, `Superuser "${email}" already exists.`);
    }
    return this.#records.createSystem(collection, { email, password, passwordConfirm: password, verified: true });
  }

  /** Changes a superuser's password; fails when there is none with that email. */
  async update(email: string, password: string): Promise<RecordData> {
    checkEmail(email);
    checkPassword(password);
    const existing = await this.find(email);
    if (!existing) throw errors.notFound(`Superuser with email "${email}" doesn't exist.`);
    return this.#setPassword(existing, password);
  }

  /** Creates the superuser or changes its password. */
  async upsert(email: string, password: string): Promise<{ change: SuperuserChange; record: RecordData }> {
    checkEmail(email);
    checkPassword(password);
    const existing = await this.find(email);
    if (existing) return { change: 'updated', record: await this.#setPassword(existing, password) };
    return { change: 'created', record: await this.create(email, password) };
  }

  /** Deletes a superuser; `missing` when there was none (not an error, as in PocketBase). */
  async delete(email: string): Promise<SuperuserChange> {
    checkEmail(email);
    const existing = await this.find(email);
    if (!existing) return 'missing';
    await this.#records.deleteSystem(this.#collection(), existing.id);
    return 'deleted';
  }

  /** The superuser with this email (case-insensitive), or null. */
  find(email: string): Promise<RecordData | null> {
    return this.#records.findFirstByField(this.#collection(), 'email', email, { caseInsensitive: true });
  }

  #setPassword(record: RecordData, password: string): Promise<RecordData> {
    // the records service rotates tokenKey on a password change
    return this.#records.updateSystem(this.#collection(), record.id, { password, passwordConfirm: password });
  }

  #collection(): CollectionModel {
    const collection = this.#schema.find(SUPERUSERS_COLLECTION);
    if (!collection) throw errors.internal(new Error('the _superusers collection is missing'));
    return collection;
  }
}

/** Throws a validation error for a missing or malformed email. */
export function checkEmail(email: string): void {
  if (!email || !EMAIL_FORMAT.test(email)) {
    throw errors.validation({ email: fieldError('validation_is_email', 'Must be a valid email address.') }, 'Missing or invalid email address.');
  }
}

/** Throws a validation error for a password shorter than the minimum. */
export function checkPassword(password: string): void {
  if ([...password].length < MIN_SUPERUSER_PASSWORD) {
    throw errors.validation(
      { password: fieldError('validation_length_out_of_range', `Must be at least ${MIN_SUPERUSER_PASSWORD} characters.`) },
      `Missing or invalid password: it must be at least ${MIN_SUPERUSER_PASSWORD} characters.`,
    );
  }
}
