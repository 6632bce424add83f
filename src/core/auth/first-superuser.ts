import type { SchemaRegistry } from '../collections/schema-registry.js';
import { errors, fieldError } from '../errors/plinth-error.js';
import { SUPERUSERS_COLLECTION, type RecordData } from '../request-info.js';
import type { AuthRecordPort, AuthRecordQuery, AuthRecordWriter } from './auth-ports.js';
import { signRecordToken, verifyRecordToken } from './auth-tokens.js';
import { SuperuserAccounts } from './superuser-accounts.js';

/** How long the install link printed at first start stays valid. */
export const INSTALL_TOKEN_SECONDS = 30 * 60;
const INSTALL_TYPE = 'install';

/**
 * The first start (PocketBase's `pbinstal` link): while no superuser exists, `plinth serve` prints a
 * link to the admin UI with a signed, short-lived token, and that token (and nothing else) lets the
 * page create the first superuser. The token is an HS256 JWT keyed by the `_superusers`
 * collection's secret, so any node of a cluster accepts it, and it is worthless once a superuser
 * exists: the check is made again at creation, under a lock, so two pages cannot both succeed.
 */
export class FirstSuperuser {
  readonly #schema: SchemaRegistry;
  readonly #records: AuthRecordPort & AuthRecordWriter & AuthRecordQuery;
  #creating: Promise<unknown> = Promise.resolve();

  constructor(schema: SchemaRegistry, records: AuthRecordPort & AuthRecordWriter & AuthRecordQuery) {
    this.#schema = schema;
    this.#records = records;
  }

  /** True while there is no superuser at all. */
  async needed(): Promise<boolean> {
    const found = await this.#records.findAllSystem(this.#collection(), '', {}, { limit: 1 });
    return found.length === 0;
  }

  /** A one-time install token, or null when a superuser already exists. */
  async issueToken(seconds = INSTALL_TOKEN_SECONDS): Promise<string | null> {
    if (!(await this.needed())) return null;
    const collection = this.#collection();
    return signRecordToken({ id: '', type: INSTALL_TYPE, collectionId: collection.id }, this.#key(), seconds);
  }

  /** Creates the first superuser with an install token; 400 for a bad or spent token or bad input. */
  async complete(input: { token: unknown; email: unknown; password: unknown; passwordConfirm: unknown }): Promise<RecordData> {
    const claims = typeof input.token === 'string' ? await verifyRecordToken(input.token, this.#key()) : null;
    if (!claims || claims.type !== INSTALL_TYPE) {
      throw errors.badRequest('The install link is invalid or has expired. Restart the server for a new one, or use `plinth superuser create`.');
    }
    const email = typeof input.email === 'string' ? input.email.trim() : '';
    const password = typeof input.password === 'string' ? input.password : '';
    if (password !== input.passwordConfirm) {
      throw errors.validation({ passwordConfirm: fieldError('validation_values_mismatch', "Values don't match.") });
    }
    const run = this.#creating.then(async () => {
      if (!(await this.needed())) throw errors.badRequest('A superuser already exists: sign in instead.');
      return new SuperuserAccounts(this.#schema, this.#records).create(email, password);
    });
    this.#creating = run.catch(() => undefined);
    return run;
  }

  #key(): string {
    const secret = (this.#collection().options['authToken'] as { secret?: unknown } | undefined)?.secret;
    if (typeof secret !== 'string' || secret === '') throw errors.internal(new Error('the _superusers collection has no auth token secret'));
    return `${secret}:${INSTALL_TYPE}`;
  }

  #collection() {
    const collection = this.#schema.find(SUPERUSERS_COLLECTION);
    if (!collection) throw errors.internal(new Error('the _superusers collection is missing'));
    return collection;
  }
}
