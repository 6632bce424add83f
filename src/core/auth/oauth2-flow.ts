import { randomBytes } from 'node:crypto';
import type { CollectionModel } from '../collections/collection-model.js';
import { errors, fieldError, PlinthError } from '../errors/plinth-error.js';
import { ozzo } from '../fields/field-errors.js';
import { SUPERUSERS_COLLECTION, type AuthState, type RecordData, type RequestInfo } from '../request-info.js';
import { findByEmail, systemCollection, type AuthContext } from './auth-context.js';
import { bodyString, FormErrors } from './auth-forms.js';
import { readAuthOptions, type OAuth2MappedFields } from './auth-options.js';
import type { AuthOutcome } from './auth-service.js';
import type { OAuth2Client, OAuth2User } from './oauth2-client.js';
import { resolveProvider } from './oauth2-providers.js';
import { fetchOAuth2User } from './oauth2-users.js';

/** PocketBase's system collection linking auth records to provider accounts. */
export const EXTERNAL_AUTHS_COLLECTION = '_externalAuths';

function randomPassword(): string {
  return randomBytes(24).toString('base64url');
}

/** The `meta` of an OAuth2 sign-in answer (PocketBase's `AuthUser` plus `isNew`). */
export type OAuth2Meta = Omit<OAuth2User, never> & { isNew: boolean };

/**
 * `auth-with-oauth2`, PocketBase's flow with the account-takeover protections:
 * 1. exchange the code (with the PKCE verifier) and read the provider's user;
 * 2. find the linked record in `_externalAuths`, else the signed-in record of this collection,
 *    else an existing record by email, only when the provider verified that email;
 * 3. no record: sign up through the records API (`createRule` applies) with `createData` and the
 *    mapped fields; an existing unverified record gets a random password before it is linked, so a
 *    password planted by whoever registered the address first stops working (pre-hijack);
 * 4. link the provider account, then complete the sign-in as `oauth2` (MFA, authRule, alert).
 */
export class OAuth2Flow {
  readonly #ctx: AuthContext;
  readonly #client: OAuth2Client | undefined;

  constructor(ctx: AuthContext, client?: OAuth2Client) {
    this.#ctx = ctx;
    this.#client = client;
  }

  async signIn(collection: CollectionModel, body: Record<string, unknown>, request: RequestInfo): Promise<AuthOutcome & { meta?: OAuth2Meta }> {
    const options = readAuthOptions(collection);
    if (!options.oauth2.enabled) throw errors.forbidden('The collection is not configured to allow OAuth2 authentication.');
    const name = bodyString(body.provider);
    const code = bodyString(body.code);
    const codeVerifier = bodyString(body.codeVerifier);
    const redirectURL = bodyString(body.redirectURL) || bodyString(body.redirectUrl);
    const createData = body.createData && typeof body.createData === 'object' && !Array.isArray(body.createData)
      ? (body.createData as Record<string, unknown>) : {};
    const provider = resolveProvider(options.oauth2.providers, name);
    const form = new FormErrors();
    if (!name) form.set('provider', ozzo.required());
    else if (!provider) form.set('provider', fieldError('validation_invalid_provider', `Provider with name "${name}" is missing or is not enabled.`, { name }));
    if (!code) form.set('code', ozzo.required());
    form.throwIfAny('An error occurred while loading the submitted data.');
    if (!provider || !this.#client) throw errors.internal(new Error(`the ${name} OAuth2 provider cannot be initialised`));

    const client = this.#client;
    const tokens = await client.exchangeCode(provider, code, codeVerifier, redirectURL)
      .catch((cause: unknown) => { throw errors.badRequest('Failed to fetch OAuth2 token.', {}, cause); });
    const user = await fetchOAuth2User(client, provider, tokens)
      .catch((cause: unknown) => { throw errors.badRequest('Failed to fetch OAuth2 user.', {}, cause); });

    const links = systemCollection(this.#ctx, EXTERNAL_AUTHS_COLLECTION);
    const [link] = await this.#ctx.records.findAllSystem(
      links,
      'collectionRef = @request.body.c && provider = @request.body.p && providerId = @request.body.i',
      { c: collection.id, p: name, i: user.id },
      { limit: 1 },
    );
    let record: RecordData | null = null;
    if (link) record = await this.#ctx.records.findById(collection, String(link.recordRef ?? ''));
    else if (request.auth && request.auth.collection.id === collection.id) record = request.auth.record;
    else if (user.email) record = await findByEmail(this.#ctx, collection, user.email);

    const isNew = record === null;
    let state: AuthState;
    try {
      state = record
        ? await this.#updateExisting(collection, record, user, request)
        : await this.#signUp(collection, options.oauth2.mappedFields, createData, user, request);
      if (!link) {
        await this.#ctx.records.createSystem(links, { collectionRef: collection.id, recordRef: state.record.id, provider: name, providerId: user.id });
      }
    } catch (cause) {
      if (cause instanceof PlinthError && cause.code !== 'internal' && Object.keys(cause.data).length > 0) throw cause;
      throw errors.badRequest('Failed to authenticate.', {}, cause);
    }
    const outcome = await this.#ctx.auth.completeSignIn(state, request, 'oauth2');
    return { ...outcome, meta: { ...user, isNew } };
  }

  async #signUp(collection: CollectionModel, mapped: OAuth2MappedFields, createData: Record<string, unknown>, user: OAuth2User, request: RequestInfo): Promise<AuthState> {
    if (collection.name === SUPERUSERS_COLLECTION) throw errors.badRequest('Superusers are not allowed to sign up with OAuth2.');
    const payload: Record<string, unknown> = { ...createData, email: user.email };
    if (bodyString(payload.password) === '') {
      payload.password = randomPassword();
      payload.passwordConfirm = payload.password;
    }
    const assign = (field: string, value: string) => {
      if (field && !(field in payload) && value !== '' && collection.fields.some((f) => f.name === field)) payload[field] = value;
    };
    assign(mapped.id, user.id);
    assign(mapped.name, user.name);
    if (mapped.username && !(mapped.username in payload) && user.username) {
      const taken = await this.#ctx.records.findFirstByField(collection, mapped.username, user.username);
      if (!taken) assign(mapped.username, user.username);
    }
    const avatarField = collection.fields.find((f) => f.name === mapped.avatarURL);
    if (avatarField && avatarField.type !== 'file') assign(mapped.avatarURL, user.avatarURL);
    const created = await this.#ctx.records.create(collection.id, payload, { ...request, context: 'oauth2', body: payload });
    let record = await this.#ctx.records.findById(collection, String(created.id ?? ''));
    if (!record) throw errors.badRequest('Failed to create OAuth2 auth record.');
    if (record.verified !== true && user.email !== '' && record.email === user.email) {
      record = await this.#ctx.records.updateSystem(collection, record.id, { verified: true });
    }
    return { collection, record };
  }

  async #updateExisting(collection: CollectionModel, record: RecordData, user: OAuth2User, request: RequestInfo): Promise<AuthState> {
    const data: Record<string, unknown> = {};
    const signedIn = request.auth?.record.id === record.id && request.auth.collection.id === collection.id;
    const email = typeof record.email === 'string' ? record.email : '';
    if (!signedIn && email !== '' && record.verified !== true) {
      // pre-hijack protection: whoever registered this address first loses their password
      data.password = randomPassword();
      data.passwordConfirm = data.password;
    }
    if (email === '' && user.email !== '') data.email = user.email;
    const finalEmail = (data.email as string | undefined) ?? email;
    if (record.verified !== true && (finalEmail === '' || (user.email !== '' && finalEmail === user.email))) data.verified = true;
    if (Object.keys(data).length === 0) return { collection, record };
    return { collection, record: await this.#ctx.records.updateSystem(collection, record.id, data) };
  }
}
