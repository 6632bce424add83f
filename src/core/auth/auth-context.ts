import type { CollectionModel } from '../collections/collection-model.js';
import type { SchemaRegistry } from '../collections/schema-registry.js';
import { errors } from '../errors/plinth-error.js';
import type { RecordMails } from '../mail/record-mails.js';
import type { RecordData } from '../request-info.js';
import type { AuthRecords } from './auth-ports.js';
import type { AuthService } from './auth-service.js';
import type { Background } from './background.js';

/** What the auth flows share: the schema, system record access, tokens, mails, background work. */
export interface AuthContext {
  schema: SchemaRegistry;
  records: AuthRecords;
  auth: AuthService;
  mails: RecordMails;
  background: Background;
}

/** A system collection by name (`_otps`, `_externalAuths`…); a 500 when the data dir lacks it. */
export function systemCollection(ctx: Pick<AuthContext, 'schema'>, name: string): CollectionModel {
  const collection = ctx.schema.find(name);
  if (!collection) throw errors.internal(new Error(`the ${name} collection is missing`));
  return collection;
}

/** The auth record with this email (case-insensitive, like the unique email index), or null. */
export function findByEmail(ctx: Pick<AuthContext, 'records'>, collection: CollectionModel, email: string): Promise<RecordData | null> {
  if (!email) return Promise.resolve(null);
  return ctx.records.findFirstByField(collection, 'email', email, { caseInsensitive: true });
}

/** Parses PocketBase's `2006-01-02 15:04:05.000Z` dates (0 for anything else). */
export function parseDate(value: unknown): number {
  if (typeof value !== 'string' || value === '') return 0;
  const ms = Date.parse(value.replace(' ', 'T'));
  return Number.isNaN(ms) ? 0 : ms;
}
