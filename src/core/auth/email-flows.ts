import type { CollectionModel } from '../collections/collection-model.js';
import { errors } from '../errors/plinth-error.js';
import { ozzo } from '../fields/field-errors.js';
import type { AuthState, RequestInfo } from '../request-info.js';
import { findByEmail, type AuthContext } from './auth-context.js';
import { bodyString, emailError, FormErrors, tokenErrors } from './auth-forms.js';
import { readAuthOptions } from './auth-options.js';
import { decodeUnverified } from './auth-tokens.js';
import { verifyPassword } from './password-check.js';

/** How long a verification or reset mail blocks another one for the same account (PocketBase: 2 min). */
const RESEND_WINDOW_MS = 120_000;

/**
 * The mail-confirmed flows of auth records, PocketBase-exact: request/confirm verification,
 * request/confirm password reset and request/confirm email change. Request endpoints answer the
 * same whether the account exists or not, and send their mail in the background, so that neither
 * the answer nor its timing tells accounts apart.
 */
export class AuthEmailFlows {
  readonly #ctx: AuthContext;
  readonly #recent = new Map<string, number>();

  constructor(ctx: AuthContext) {
    this.#ctx = ctx;
  }

  /** `request-verification`: mails a verification link to an unverified account. */
  async requestVerification(collection: CollectionModel, body: Record<string, unknown>): Promise<void> {
    if (collection.name === '_superusers') throw errors.badRequest('All superusers are verified by default.');
    const email = this.#validateEmail(body);
    const record = await findByEmail(this.#ctx, collection, email);
    if (!record || record.verified === true || this.#tooSoon(`verification:${collection.id}:${record.id}`)) return;
    const token = await this.#ctx.auth.newRecordToken({ collection, record }, 'verification', { email: record.email });
    this.#ctx.background.run('verification mail', () => this.#ctx.mails.send('verification', collection, record, { '{TOKEN}': token }));
  }

  /** `confirm-verification`: marks the record verified (204 as well when it already was). */
  async confirmVerification(collection: CollectionModel, body: Record<string, unknown>): Promise<void> {
    const token = bodyString(body.token);
    const form = new FormErrors();
    if (!token) form.set('token', ozzo.required());
    let state: AuthState | null = null;
    if (token) {
      const email = bodyString(decodeUnverified(token)?.email);
      state = email ? await this.#checkToken(form, collection, token, 'verification') : null;
      if (!email) form.set('token', tokenErrors.missingEmail());
      else if (state && state.record.email !== email) form.set('token', tokenErrors.emailMismatch());
    }
    form.throwIfAny();
    if (!state || state.record.verified === true) return;
    await this.#ctx.records.updateSystem(collection, state.record.id, { verified: true });
  }

  /** `request-password-reset`: mails a reset link (collections with password sign-in only). */
  async requestPasswordReset(collection: CollectionModel, body: Record<string, unknown>): Promise<void> {
    if (!readAuthOptions(collection).passwordAuth.enabled) {
      throw errors.badRequest('The collection is not configured to allow password authentication.');
    }
    const email = this.#validateEmail(body);
    const record = await findByEmail(this.#ctx, collection, email);
    if (!record || this.#tooSoon(`passwordReset:${collection.id}:${record.id}`)) return;
    const token = await this.#ctx.auth.newRecordToken({ collection, record }, 'passwordReset', { email: record.email });
    this.#ctx.background.run('password reset mail', () => this.#ctx.mails.send('passwordReset', collection, record, { '{TOKEN}': token }));
  }

  /**
   * `confirm-password-reset`: sets the new password. Changing it rotates the record's `tokenKey`,
   * which revokes every token issued before (auth tokens and this reset token alike).
   */
  async confirmPasswordReset(collection: CollectionModel, body: Record<string, unknown>): Promise<void> {
    const token = bodyString(body.token);
    const password = bodyString(body.password);
    const passwordConfirm = bodyString(body.passwordConfirm);
    const form = new FormErrors();
    let state: AuthState | null = null;
    if (!token) form.set('token', ozzo.required());
    else state = await this.#checkToken(form, collection, token, 'passwordReset');
    const field = collection.fields.find((f) => f.name === 'password') as { min?: number } | undefined;
    const min = field?.min && field.min > 0 ? field.min : 1;
    if (!password) form.set('password', ozzo.required());
    else if ([...password].length < min || [...password].length > 255) form.set('password', ozzo.lengthOutOfRange(min, 255));
    if (!passwordConfirm) form.set('passwordConfirm', ozzo.required());
    else if (passwordConfirm !== password) form.set('passwordConfirm', ozzo.valuesMismatch());
    form.throwIfAny();
    if (!state) throw errors.badRequest('Invalid or expired token.');
    const data: Record<string, unknown> = { password, passwordConfirm };
    // the mail reached its owner: a reset for the current email also verifies it
    if (state.record.verified !== true && state.record.email === decodeUnverified(token)?.email) data.verified = true;
    await this.#ctx.records.updateSystem(collection, state.record.id, data);
  }

  /**
   * `request-email-change` of the signed-in record itself (401 without auth; 403 unless `idOrName`
   * is its own collection): mails a confirmation link to the new address.
   */
  async requestEmailChange(idOrName: string, body: Record<string, unknown>, request: RequestInfo): Promise<void> {
    const auth = request.auth;
    if (!auth) throw errors.unauthorized();
    const collection = this.#ctx.schema.find(idOrName);
    if (!collection || collection.id !== auth.collection.id) throw errors.forbidden('The request requires valid record authorization token set for the same collection.');
    const record = auth.record;
    const newEmail = bodyString(body.newEmail);
    const form = new FormErrors();
    form.set('newEmail', emailError(newEmail));
    if (!form.has('newEmail') && newEmail === record.email) form.set('newEmail', ozzo.notIn());
    if (!form.has('newEmail')) {
      const taken = await findByEmail(this.#ctx, collection, newEmail);
      if (taken && taken.id !== record.id) form.set('newEmail', { code: 'validation_invalid_new_email', message: 'Invalid new email address.' });
    }
    form.throwIfAny();
    const token = await this.#ctx.auth.newRecordToken(auth, 'emailChange', { email: record.email, newEmail });
    this.#ctx.background.run('email change mail', () => this.#ctx.mails.send('emailChange', collection, record, { '{TOKEN}': token }, newEmail));
  }

  /**
   * `confirm-email-change`: with the emailed token and the account's password, switches to the new
   * address (verified). The email change rotates the `tokenKey`, revoking older tokens.
   */
  async confirmEmailChange(collection: CollectionModel, body: Record<string, unknown>): Promise<void> {
    const token = bodyString(body.token);
    const password = bodyString(body.password);
    const form = new FormErrors();
    let state: AuthState | null = null;
    let newEmail = '';
    if (!token) form.set('token', ozzo.required());
    else {
      newEmail = bodyString(decodeUnverified(token)?.newEmail);
      if (!newEmail) form.set('token', tokenErrors.payload());
      else if (await findByEmail(this.#ctx, collection, newEmail)) {
        form.set('token', { code: 'validation_existing_token_email', message: `The new email address is already registered: ${newEmail}` });
      } else state = await this.#checkToken(form, collection, token, 'emailChange');
    }
    if (!password) form.set('password', ozzo.required());
    else if (!state || !(await verifyPassword(password, state.record.password))) {
      form.set('password', { code: 'validation_invalid_password', message: 'Missing or invalid auth record password.' });
    }
    form.throwIfAny();
    if (!state) throw errors.badRequest('Invalid or expired token.');
    await this.#ctx.records.updateSystem(collection, state.record.id, { email: newEmail, verified: true });
  }

  #validateEmail(body: Record<string, unknown>): string {
    const email = bodyString(body.email);
    const form = new FormErrors();
    form.set('email', emailError(email));
    form.throwIfAny();
    return email;
  }

  /** Verifies a token of `type` and that it belongs to `collection`; sets the field error otherwise. */
  async #checkToken(form: FormErrors, collection: CollectionModel, token: string, type: 'verification' | 'passwordReset' | 'emailChange'): Promise<AuthState | null> {
    const state = await this.#ctx.auth.findByToken(token, type).catch(() => null);
    if (!state) {
      form.set('token', tokenErrors.invalid());
      return null;
    }
    if (state.collection.id !== collection.id) {
      form.set('token', tokenErrors.collectionMismatch());
      return null;
    }
    return state;
  }

  /** True when the same mail went out less than two minutes ago (then nothing is sent, still 204). */
  #tooSoon(key: string): boolean {
    const now = Date.now();
    for (const [k, at] of this.#recent) if (now - at > RESEND_WINDOW_MS) this.#recent.delete(k);
    if (this.#recent.has(key)) return true;
    this.#recent.set(key, now);
    return false;
  }
}
