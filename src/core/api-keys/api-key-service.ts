import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CollectionModel } from '../collections/collection-model.js';
import type { CollectionService } from '../collections/collection-service.js';
import type { SchemaRegistry } from '../collections/schema-registry.js';
import { errors } from '../errors/plinth-error.js';
import { SUPERUSERS_COLLECTION, type AuthState, type RecordData, type RequestInfo } from '../request-info.js';
import type { AuthRecords } from '../auth/auth-ports.js';
import { requireSuperuser } from '../auth/superuser-guard.js';
import { API_KEYS_COLLECTION, readScopes, scopesError, type ApiKeyScope } from './api-key-scopes.js';

/** Every key starts with this, so that servers and secret scanners can tell keys from JWTs. */
export const API_KEY_PREFIX = 'plk_';
const KEY_FORMAT = /^plk_([a-z0-9]{15})_([A-Za-z0-9_-]{43})$/;

/** A key as the management API shows it (never the secret, except once at creation as `key`). */
export interface ApiKeyJson {
  id: string;
  name: string;
  scopes: ApiKeyScope[];
  expires: string;
  created: string;
  updated: string;
  key?: string;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function parseDate(value: unknown): number {
  if (typeof value !== 'string' || value === '') return 0;
  const ms = Date.parse(value.replace(' ', 'T'));
  return Number.isNaN(ms) ? 0 : ms;
}

/** The `_apiKeys` collection definition (created on first use). */
function collectionDefinition(): Record<string, unknown> {
  return {
    name: API_KEYS_COLLECTION,
    type: 'base',
    system: true,
    listRule: null, viewRule: null, createRule: null, updateRule: null, deleteRule: null,
    fields: [
      { type: 'text', name: 'name', required: true, max: 255, system: true },
      { type: 'text', name: 'keyHash', required: true, hidden: true, system: true },
      { type: 'json', name: 'scopes', system: true, maxSize: 100_000 },
      { type: 'date', name: 'expires', system: true },
      { type: 'autodate', name: 'created', onCreate: true, system: true },
      { type: 'autodate', name: 'updated', onCreate: true, onUpdate: true, system: true },
    ],
  };
}

/**
 * API keys (a Plinth extension): long-lived credentials for servers, scoped to collections and
 * record operations, revocable, stored as SHA-256 hashes in `_apiKeys` and shown once at creation.
 * A key is sent like a token (`Authorization: plk_…`); rules see the caller as a record of
 * `_apiKeys` (`@request.auth.collectionName = "_apiKeys"`, `@request.auth.id` the key's id), and
 * the records service refuses operations outside the key's scopes (see api-key-scopes.ts).
 */
export class ApiKeyService {
  readonly #schema: SchemaRegistry;
  readonly #collections: CollectionService;
  readonly #records: AuthRecords;

  constructor(schema: SchemaRegistry, collections: CollectionService, records: AuthRecords) {
    this.#schema = schema;
    this.#collections = collections;
    this.#records = records;
  }

  /** The caller a key stands for, or null (unknown, revoked, expired, malformed: a guest). */
  async authenticate(key: string): Promise<AuthState | null> {
    const match = KEY_FORMAT.exec(key);
    const collection = this.#schema.find(API_KEYS_COLLECTION);
    if (!match || !collection) return null;
    const record = await this.#records.findById(collection, match[1] ?? '');
    const stored = Buffer.from(typeof record?.keyHash === 'string' ? record.keyHash : '', 'hex');
    const given = sha256(match[2] ?? '');
    const same = stored.length === given.length && timingSafeEqual(stored, given);
    if (!record || !same) return null;
    const expires = parseDate(record.expires);
    if (expires !== 0 && expires <= Date.now()) return null;
    return { collection, record };
  }

  /** Creates a key (superusers only); the answer carries the key itself, the only time it is shown. */
  async create(request: Pick<RequestInfo, 'auth'>, body: Record<string, unknown>): Promise<ApiKeyJson> {
    requireSuperuser(request, 'Only superusers can manage API keys.');
    const collection = await this.#ensureCollection();
    const scopeError = scopesError(body.scopes);
    if (scopeError) throw errors.validation({ scopes: scopeError });
    const secret = randomBytes(32).toString('base64url');
    const record = await this.#records.createSystem(collection, {
      name: body.name,
      scopes: readScopes(body.scopes),
      expires: typeof body.expires === 'string' ? body.expires : '',
      keyHash: sha256(secret).toString('hex'),
    });
    return { ...toJson(record), key: `${API_KEY_PREFIX}${record.id}_${secret}` };
  }

  /** Every key, newest first, without secrets (superusers only). */
  async list(request: Pick<RequestInfo, 'auth'>): Promise<ApiKeyJson[]> {
    requireSuperuser(request, 'Only superusers can manage API keys.');
    const collection = this.#schema.find(API_KEYS_COLLECTION);
    if (!collection) return [];
    return (await this.#records.findAllSystem(collection, "id != ''", {}, { sort: '-created' })).map(toJson);
  }

  /** Revokes (deletes) a key: it stops working at once (superusers only). */
  async revoke(request: Pick<RequestInfo, 'auth'>, id: string): Promise<void> {
    requireSuperuser(request, 'Only superusers can manage API keys.');
    const collection = this.#schema.find(API_KEYS_COLLECTION);
    const record = collection ? await this.#records.findById(collection, id) : null;
    if (!collection || !record) throw errors.notFound();
    await this.#records.deleteSystem(collection, id);
  }

  async #ensureCollection(): Promise<CollectionModel> {
    const existing = this.#schema.find(API_KEYS_COLLECTION);
    if (existing) return existing;
    const superusers = this.#schema.find(SUPERUSERS_COLLECTION);
    if (!superusers) throw errors.internal(new Error('the _superusers collection is missing'));
    const system: Pick<RequestInfo, 'auth'> = { auth: { collection: superusers, record: { id: '' } } };
    return this.#collections.create(system, collectionDefinition());
  }
}

function toJson(record: RecordData): ApiKeyJson {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    id: record.id, name: text(record.name), scopes: readScopes(record.scopes),
    expires: text(record.expires), created: text(record.created), updated: text(record.updated),
  };
}
