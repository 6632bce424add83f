import type { CollectionModel } from '../collections/collection-model.js';
import type { SchemaRegistry } from '../collections/schema-registry.js';
import { errors } from '../errors/plinth-error.js';
import { SUPERUSERS_COLLECTION, type AuthState, type RecordData, type RequestInfo } from '../request-info.js';
import { isAuthCollection, readAuthOptions } from './auth-options.js';
import type { AuthRecordPort, AuthRecordWriter, MfaStore } from './auth-ports.js';
import { decodeUnverified, signRecordToken, tokenFromHeader, verifyRecordToken } from './auth-tokens.js';
import { checkMfa } from './mfa-check.js';
import { findByPassword, validatePasswordForm } from './password-sign-in.js';
import { RecordMfaStore } from './record-mfa-store.js';

/** Optional collaborators, wired by the composition root. */
export interface AuthServiceOptions {
  /** MFA sessions; `_mfas` records through the records service by default. */
  mfa?: MfaStore;
}

/** The result of a successful authentication step. */
export type AuthOutcome =
  | { kind: 'authenticated'; state: AuthState; token: string }
  | { kind: 'mfa'; mfaId: string };

/**
 * Tokens and sign-in, PocketBase-exact: HS256 JWTs signed with `record.tokenKey + collection
 * authToken.secret`. Every token check reads the record again, so a changed `tokenKey` (password
 * change, "log out everywhere") invalidates older tokens at once; nothing is cached.
 */
export class AuthService {
  readonly #schema: SchemaRegistry;
  readonly #records: AuthRecordPort;
  readonly #mfa: MfaStore;

  constructor(schema: SchemaRegistry, records: AuthRecordPort & AuthRecordWriter, _settings?: unknown, options: AuthServiceOptions = {}) {
    this.#schema = schema;
    this.#records = records;
    this.#mfa = options.mfa ?? new RecordMfaStore(schema, records);
  }

  /**
   * Resolves the caller from an `Authorization` header (`<token>` or `Bearer <token>`). Anything
   * invalid (bad signature, other algorithm, expired, wrong type, unknown record or collection)
   * makes the caller a guest: null, never an error.
   */
  async authenticate(authorizationHeader?: string): Promise<AuthState | null> {
    const token = tokenFromHeader(authorizationHeader);
    if (!token) return null;
    try {
      return await this.findByToken(token, 'auth');
    } catch {
      return null;
    }
  }

  /** Finds the record a token of `type` was issued for, after verifying it; null when invalid. */
  async findByToken(token: string, type: string): Promise<AuthState | null> {
    const claims = decodeUnverified(token);
    if (!claims || claims.type !== type) return null;
    const collection = this.#schema.find(claims.collectionId);
    if (!isAuthCollection(collection) || collection.id !== claims.collectionId) return null;
    const record = await this.#records.findById(collection, claims.id);
    if (!record) return null;
    const secret = this.#secretFor(collection, type);
    const verified = await verifyRecordToken(token, tokenKeyOf(record) + secret);
    if (!verified || verified.id !== record.id || verified.collectionId !== collection.id || verified.type !== type) return null;
    return { record, collection };
  }

  /** Issues an auth token for the record with the collection's `authToken.duration`. */
  async newAuthToken(state: AuthState, options: { refreshable?: boolean; durationSeconds?: number } = {}): Promise<string> {
    const { collection, record } = state;
    if (!isAuthCollection(collection)) throw errors.badRequest('Not an auth collection record.');
    const { authToken } = readAuthOptions(collection);
    const key = tokenKeyOf(record) + authToken.secret;
    if (!key) throw errors.internal(new Error('missing or invalid signing key'));
    const duration = options.durationSeconds && options.durationSeconds > 0 ? options.durationSeconds : authToken.duration;
    return signRecordToken(
      { collectionId: collection.id, id: record.id, refreshable: options.refreshable ?? true, type: 'auth' },
      key,
      duration,
    );
  }

  /** Finds an auth collection by id or name; 404 like PocketBase for missing and non-auth ones. */
  authCollection(idOrName: string): CollectionModel {
    const collection = this.#schema.find(idOrName);
    if (!isAuthCollection(collection)) throw errors.notFound('Missing or invalid auth collection context.');
    return collection;
  }

  /**
   * `auth-with-password`: validates the form, finds the record by an identity field, checks the
   * password (spending the same bcrypt time for unknown identities), then completes the sign-in.
   */
  async signInWithPassword(collection: CollectionModel, body: Record<string, unknown>, request: RequestInfo): Promise<AuthOutcome> {
    const options = readAuthOptions(collection);
    if (!options.passwordAuth.enabled) {
      throw errors.forbidden('The collection is not configured to allow password authentication.');
    }
    const form = validatePasswordForm(body, options.passwordAuth.identityFields);
    const record = await findByPassword(this.#records, collection, form);
    if (!record) throw errors.badRequest('Failed to authenticate.');
    return this.completeSignIn({ collection, record }, request, 'password');
  }

  /**
   * The common end of every sign-in (PocketBase's `RecordAuthResponse`): checks `authRule` for
   * the original request, runs the MFA step when `authMethod` is set, then issues the token.
   * `existingToken` is answered as is (non-refreshable tokens on auth-refresh).
   */
  async completeSignIn(state: AuthState, request: RequestInfo, authMethod: string, existingToken?: string): Promise<AuthOutcome> {
    const options = readAuthOptions(state.collection);
    if (!(await this.#canAccess(state, request, options.authRule))) {
      throw errors.forbidden("The request doesn't satisfy the collection requirements to authenticate.");
    }
    if (authMethod && options.mfa.enabled) {
      const mfaId = await checkMfa(state, request, authMethod, options.mfa, this.#mfa, this.#records);
      if (mfaId) return { kind: 'mfa', mfaId };
    }
    const token = existingToken ?? (await this.newAuthToken(state));
    return { kind: 'authenticated', state, token };
  }

  /** `auth-refresh`: a new token for a refreshable one, the same token for a static one. */
  async refresh(state: AuthState, currentToken: string, request: RequestInfo): Promise<AuthOutcome> {
    const claims = decodeUnverified(currentToken);
    const refreshable = claims?.refreshable === true;
    return this.completeSignIn(state, request, '', refreshable ? undefined : currentToken);
  }

  async #canAccess(state: AuthState, request: RequestInfo, rule: string | null): Promise<boolean> {
    if (request.auth?.collection.name === SUPERUSERS_COLLECTION) return true;
    if (rule === null) return false;
    if (rule.trim() === '') return true;
    try {
      return await this.#records.canAccess(state.collection, state.record, request, rule);
    } catch {
      return false;
    }
  }

  #secretFor(collection: CollectionModel, type: string): string {
    const key = { auth: 'authToken', file: 'fileToken', verification: 'verificationToken',
      passwordReset: 'passwordResetToken', emailChange: 'emailChangeToken' }[type];
    if (!key) return '';
    const config = collection.options[key];
    const secret = config && typeof config === 'object' ? (config as Record<string, unknown>).secret : undefined;
    return typeof secret === 'string' ? secret : '';
  }
}

/** The record's `tokenKey` (a hidden system field of auth records). */
export function tokenKeyOf(record: RecordData): string {
  return typeof record.tokenKey === 'string' ? record.tokenKey : '';
}

/** Whether the record belongs to `_superusers`. */
export function isSuperuserState(state: AuthState | null | undefined): boolean {
  return state?.collection.name === SUPERUSERS_COLLECTION;
}
