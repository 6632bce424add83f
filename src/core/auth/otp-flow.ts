import { randomInt } from 'node:crypto';
import type { CollectionModel } from '../collections/collection-model.js';
import { errors } from '../errors/plinth-error.js';
import { hashPassword, type PasswordFieldModel } from '../fields/password-field.js';
import { newRecordId } from '../fields/random.js';
import type { RequestInfo } from '../request-info.js';
import { findByEmail, parseDate, systemCollection, type AuthContext } from './auth-context.js';
import { bodyString, emailError, FormErrors, textError } from './auth-forms.js';
import { readAuthOptions } from './auth-options.js';
import type { RateLimitStore } from './auth-ports.js';
import type { AuthOutcome } from './auth-service.js';
import { burnPasswordCheck, verifyPassword } from './password-check.js';

/** PocketBase's system collection of one-time passwords. */
export const OTPS_COLLECTION = '_otps';
/** Wrong OTP attempts allowed per account and window (PocketBase: 5 in 180 s), then 429. */
const MAX_ATTEMPTS = 5;
const ATTEMPTS_WINDOW_SECONDS = 180;

function digits(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += String(randomInt(10));
  return out;
}

/**
 * One-time passwords (PocketBase's `request-otp` / `auth-with-otp`): a numeric password of
 * `otp.length` digits, stored bcrypt-hashed in `_otps`, mailed in the background, valid for
 * `otp.duration` seconds, used once. Unknown emails get a believable `otpId` in the same time.
 */
export class OtpFlow {
  readonly #ctx: AuthContext;
  readonly #limits: RateLimitStore;

  constructor(ctx: AuthContext, limits: RateLimitStore) {
    this.#ctx = ctx;
    this.#limits = limits;
  }

  /** `request-otp`: answers `{otpId}` for existing and unknown emails alike. */
  async request(collection: CollectionModel, body: Record<string, unknown>): Promise<{ otpId: string }> {
    const options = readAuthOptions(collection);
    if (!options.otp.enabled) throw errors.forbidden('The collection is not configured to allow OTP authentication.');
    const email = bodyString(body.email);
    const form = new FormErrors();
    form.set('email', emailError(email));
    form.throwIfAny();

    const otps = systemCollection(this.#ctx, OTPS_COLLECTION);
    const cost = (otps.fields.find((f) => f.name === 'password') as PasswordFieldModel | undefined)?.cost || 8;
    const password = digits(Math.max(1, Math.min(options.otp.length, 72)));
    const record = await findByEmail(this.#ctx, collection, email);
    if (!record) {
      // the same bcrypt work as a real OTP, for an id that leads nowhere
      await hashPassword(password, { cost });
      return { otpId: newRecordId() };
    }
    const hash = await hashPassword(password, { cost });
    const otp = await this.#ctx.records.createSystem(otps, {
      collectionRef: collection.id, recordRef: record.id, password: hash, sentTo: String(record.email ?? ''),
    });
    this.#ctx.background.run('OTP mail', async () => {
      try {
        await this.#ctx.mails.send('otp', collection, record, { '{OTP}': password, '{OTP_ID}': otp.id });
      } catch (error) {
        await this.#ctx.records.deleteSystem(otps, otp.id).catch(() => undefined);
        throw error;
      }
    });
    return { otpId: otp.id };
  }

  /**
   * `auth-with-otp`: checks the OTP (collection, expiry, attempt limit, password), marks the email
   * verified when the OTP went to it, then completes the sign-in (MFA may ask for another factor).
   * The OTP is deleted once the sign-in step succeeds.
   */
  async signIn(collection: CollectionModel, body: Record<string, unknown>, request: RequestInfo): Promise<AuthOutcome> {
    const options = readAuthOptions(collection);
    if (!options.otp.enabled) throw errors.forbidden('The collection is not configured to allow OTP authentication.');
    const otpId = bodyString(body.otpId);
    const password = bodyString(body.password);
    const form = new FormErrors();
    form.set('otpId', textError(otpId, 1, 255));
    form.set('password', textError(password, 1, 71));
    form.throwIfAny();

    const invalid = () => errors.badRequest('Invalid or expired OTP');
    const otps = systemCollection(this.#ctx, OTPS_COLLECTION);
    const otp = await this.#ctx.records.findById(otps, otpId);
    if (!otp || otp.collectionRef !== collection.id) {
      await burnPasswordCheck(password);
      throw invalid();
    }
    if (Date.now() - parseDate(otp.created) > options.otp.duration * 1000) {
      await this.#ctx.records.deleteSystem(otps, otp.id).catch(() => undefined);
      throw invalid();
    }
    const record = await this.#ctx.records.findById(collection, String(otp.recordRef ?? ''));
    if (!record) throw invalid();
    if (!(await this.#limits.hit(`@pb_otp_${record.id}`, MAX_ATTEMPTS, ATTEMPTS_WINDOW_SECONDS))) {
      throw errors.tooManyRequests('Too many attempts, please try again later with a new OTP.');
    }
    if (!(await verifyPassword(password, otp.password))) throw invalid();

    let state = { collection, record };
    const sentTo = typeof otp.sentTo === 'string' ? otp.sentTo : '';
    if (record.verified !== true && sentTo !== '' && record.email === sentTo) {
      state = { collection, record: await this.#ctx.records.updateSystem(collection, record.id, { verified: true }) };
    }
    const outcome = await this.#ctx.auth.completeSignIn(state, request, 'otp');
    await this.#ctx.records.deleteSystem(otps, otp.id).catch(() => undefined);
    return outcome;
  }
}
