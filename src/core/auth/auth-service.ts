import type { CollectionModel } from '../collections/collection-model.js';
import type { SchemaRegistry } from '../collections/schema-registry.js';
import { errors } from '../errors/plinth-error.js';
import { isSuperuser, type AuthState, type RecordData, type RequestInfo } from '../request-info.js';
import { isAuthCollection, readAuthOptions } from './auth-options.js';
import { API_KEY_PREFIX, type ApiKeyService } from '../api-keys/api-key-service.js';
import type { PlinthApp } from '../app.js';
import type { HookRegistry } from '../hooks/hook-registry.js';
import type { Mailer } from '../mail/mailer.js';
import { RecordMails } from '../mail/record-mails.js';
import type { SettingsService } from '../settings/settings-service.js';
import { AuthOrigins } from './auth-origins.js';
import type { AuthRecords, MfaStore, RateLimitStore } from './auth-ports.js';
import { decodeUnverified, signRecordToken, tokenFromHeader, verifyRecordToken, type TokenType } from './auth-tokens.js';
import { Background } from './background.js';
import { AuthEmailFlows } from './email-flows.js';
import { MemoryCounter } from './memory-counter.js';
import { checkMfa } from './mfa-check.js';
import type { OAuth2Client } from './oauth2-client.js';
import { OAuth2Flow } from './oauth2-flow.js';
import type { OAuth2RedirectSink } from './oauth2-redirect.js';
import { OtpFlow } from './otp-flow.js';
import { findByPassword, validatePasswordForm } from './password-sign-in.js';
import { RecordMfaStore } from './record-mfa-store.js';
import { impersonationDuration } from './impersonate.js';
import { requireSuperuser } from './superuser-guard.js';

/** Optional collaborators, wired by the composition root. */
export interface AuthServiceOptions {
  /** MFA sessions; `_mfas` records through the records service by default. */
  mfa?: MfaStore;
  /** Where mails go (SMTP or the log); mails are dropped without one. */
  mailer?: Mailer;
  /** Counters for the OTP attempt limit; in memory by default. */
  limits?: RateLimitStore;
  /** The OAuth2 protocol client (code exchange, user info). */
  oauth2?: OAuth2Client;
  /** Where background failures (mail delivery) are reported; `console.error` by default. */
  logError?: (message: string, error: unknown) => void;
}

const TOKEN_OPTION: Record<TokenType, string> = {
  auth: 'authToken', file: 'fileToken', verification: 'verificationToken',
  passwordReset: 'passwordResetToken', emailChange: 'emailChangeToken',
};

/** The result of a successful authentication step. */
export type AuthOutcome =
  | { kind: 'authenticated'; state: AuthState; token: string; meta?: unknown }
  | { kind: 'mfa'; mfaId: string };

/**
 * Tokens and sign-in, PocketBase-exact: HS256 JWTs signed with `record.tokenKey + collection
 * authToken.secret`. Every token check reads the record again, so a changed `tokenKey` (password
 * change, "log out everywhere") invalidates older tokens at once; nothing is cached.
 */
export class AuthService {
  readonly #schema: SchemaRegistry;
  readonly #records: AuthRecords;
  readonly #mfa: MfaStore;
  readonly #origins: AuthOrigins;
  /** Fire-and-forget work (mails), awaitable in tests through `idle()`. */
  readonly background: Background;
  /** Verification, password reset and email change. */
  readonly emails: AuthEmailFlows;
  /** One-time passwords. */
  readonly otp: OtpFlow;
  /** OAuth2 sign-in. */
  readonly oauth2: OAuth2Flow;
  /**
   * Where `/api/oauth2-redirect` delivers the provider's code: the realtime `@oauth2` seam, set
   * by the composition root once realtime exists (null: every redirect answers the failure page).
   */
  oauth2Redirects: OAuth2RedirectSink | null = null;
  /** API keys (`Authorization: plk_…`), set by the composition root. */
  apiKeys: ApiKeyService | null = null;
  /** The auth hooks (src/core/hooks), set by the composition root. */
  hooks: HookRegistry | null = null;

  constructor(schema: SchemaRegistry, records: AuthRecords, settings?: SettingsService, options: AuthServiceOptions = {}) {
    this.#schema = schema;
    this.#records = records;
    this.#mfa = options.mfa ?? new RecordMfaStore(schema, records);
    this.background = new Background(options.logError);
    const settingsOf = () => settings?.get() ?? {};
    const mails = new RecordMails(options.mailer ?? { send: async () => undefined }, settingsOf);
    const ctx = { schema, records, auth: this, mails, background: this.background };
    this.#origins = new AuthOrigins(ctx);
    this.emails = new AuthEmailFlows(ctx);
    this.otp = new OtpFlow(ctx, options.limits ?? new MemoryCounter());
    this.oauth2 = new OAuth2Flow(ctx, options.oauth2);
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
      if (token.startsWith(API_KEY_PREFIX)) return (await this.apiKeys?.authenticate(token)) ?? null;
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

  /**
   * Issues a token of another type (`verification`, `passwordReset`, `emailChange`, `file`) signed
   * with `tokenKey + <type>Token.secret`, valid for that config's duration, with extra claims.
   */
  async newRecordToken(state: AuthState, type: Exclude<TokenType, 'auth'>, claims: Record<string, unknown> = {}): Promise<string> {
    const { collection, record } = state;
    const config = collection.options[TOKEN_OPTION[type]] as { duration?: unknown } | undefined;
    const secret = this.#secretFor(collection, type);
    const duration = typeof config?.duration === 'number' && config.duration > 0 ? config.duration : 1800;
    if (!secret) throw errors.internal(new Error(`missing ${type} token secret`));
    return signRecordToken({ ...claims, collectionId: collection.id, id: record.id, type }, tokenKeyOf(record) + secret, duration);
  }

  /**
   * `impersonate/{id}` (superusers only: 401 for guests, 403 for others, before the collection is
   * looked up): a non-refreshable auth token for any record of the auth collection `idOrName`,
   * valid for `duration` seconds (0: the collection's token duration).
   */
  async impersonate(idOrName: string, id: string, body: Record<string, unknown>, request: RequestInfo): Promise<AuthOutcome> {
    requireSuperuser(request);
    const collection = this.authCollection(idOrName);
    const record = await this.#records.findById(collection, id);
    if (!record) throw errors.notFound();
    const duration = impersonationDuration(body);
    const state = { collection, record };
    const token = await this.newAuthToken(state, { refreshable: false, durationSeconds: duration });
    return this.completeSignIn(state, request, '', token);
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
    if (this.hooks?.has('authWithPassword')) {
      await this.hooks.run('authWithPassword', { app: this.hooks.app as PlinthApp, collection, request, body, identity: form.identity }, collection);
    }
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
    const hooks = this.hooks;
    const event = hooks ? { app: hooks.app as PlinthApp, collection: state.collection, request, record: state.record, authMethod } : null;
    if (hooks && event && hooks.has('auth')) await hooks.run('auth', event, state.collection);
    if (authMethod && options.mfa.enabled) {
      const mfaId = await checkMfa(state, request, authMethod, options.mfa, this.#mfa, this.#records);
      if (mfaId) return { kind: 'mfa', mfaId };
    }
    const token = existingToken ?? (await this.newAuthToken(state));
    if (authMethod && options.authAlert) await this.#origins.record(state, request);
    if (hooks && event && hooks.has('authAfter')) await hooks.runAfter('authAfter', { ...event, token }, state.collection);
    return { kind: 'authenticated', state, token };
  }

  /**
   * `auth-refresh` of the caller (`request.auth`, 401 without; 403 unless `idOrName` is its own
   * collection): a new token for a refreshable one, the same token for a static one.
   */
  async refresh(idOrName: string, currentToken: string, request: RequestInfo): Promise<AuthOutcome> {
    const state = request.auth;
    if (!state) throw errors.unauthorized();
    if (this.#schema.find(idOrName)?.id !== state.collection.id) {
      throw errors.forbidden(`The request requires auth record from ${state.collection.name} collection.`);
    }
    const claims = decodeUnverified(currentToken);
    const refreshable = claims?.refreshable === true;
    return this.completeSignIn(state, request, '', refreshable ? undefined : currentToken);
  }

  async #canAccess(state: AuthState, request: RequestInfo, rule: string | null): Promise<boolean> {
    if (isSuperuser(request)) return true;
    if (rule === null) return false;
    if (rule.trim() === '') return true;
    try {
      return await this.#records.canAccess(state.collection, state.record, request, rule);
    } catch {
      return false;
    }
  }

  #secretFor(collection: CollectionModel, type: string): string {
    const key = (TOKEN_OPTION as Record<string, string>)[type];
    if (!key) return '';
    const config = collection.options[key];
    const secret = config && typeof config === 'object' ? (config as Record<string, unknown>).secret : undefined;
    return typeof secret === 'string' ? secret : '';
  }
}

/** The record's `tokenKey` (a hidden system field of auth records). */
function tokenKeyOf(record: RecordData): string {
  return typeof record.tokenKey === 'string' ? record.tokenKey : '';
}
