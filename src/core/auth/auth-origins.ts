import { createHash } from 'node:crypto';
import type { AuthState, RequestInfo } from '../request-info.js';
import { parseDate, systemCollection, type AuthContext } from './auth-context.js';

/** PocketBase's system collection of known sign-in origins. */
export const AUTH_ORIGINS_COLLECTION = '_authOrigins';
/** Origins kept per account (the oldest are dropped), as PocketBase does. */
const MAX_ORIGINS = 5;

/** PocketBase's origin fingerprint: md5 of the client IP and the first 300 bytes of the user agent. */
function originFingerprint(ip: string, userAgent: string): string {
  return createHash('md5').update(ip + userAgent.slice(0, 300)).digest('hex');
}

/**
 * Records where an account signs in from (`_authOrigins`) and, when the collection's `authAlert`
 * is on, mails the "login from a new location" alert for an origin not seen before (never for the
 * account's very first sign-in, nor for impersonation).
 */
export class AuthOrigins {
  readonly #ctx: AuthContext;

  constructor(ctx: AuthContext) {
    this.#ctx = ctx;
  }

  async record(state: AuthState, request: RequestInfo): Promise<void> {
    const origins = this.#ctx.schema.find(AUTH_ORIGINS_COLLECTION);
    if (!origins) return;
    const ip = request.realIp ?? '';
    const userAgent = request.headers.user_agent ?? '';
    const fingerprint = originFingerprint(ip, userAgent);
    const known = await this.#ctx.records.findAllSystem(
      origins,
      'collectionRef = @request.body.c && recordRef = @request.body.r',
      { c: state.collection.id, r: state.record.id },
    );
    const current = known.find((o) => o.fingerprint === fingerprint);
    if (current) {
      await this.#ctx.records.updateSystem(origins, current.id, {}).catch(() => undefined);
      return;
    }
    await this.#ctx.records.createSystem(origins, { collectionRef: state.collection.id, recordRef: state.record.id, fingerprint });
    const stale = known.sort((a, b) => parseDate(b.updated) - parseDate(a.updated)).slice(MAX_ORIGINS - 1);
    for (const old of stale) await this.#ctx.records.deleteSystem(systemCollection(this.#ctx, AUTH_ORIGINS_COLLECTION), old.id).catch(() => undefined);
    const email = typeof state.record.email === 'string' ? state.record.email : '';
    if (known.length === 0 || !email) return;
    const info = `${new Date().toISOString().replace('T', ' ').slice(0, 19)} UTC - ${ip}${userAgent ? ` ${userAgent.slice(0, 300)}` : ''}`;
    this.#ctx.background.run('auth alert mail', () => this.#ctx.mails.send('authAlert', state.collection, state.record, { '{ALERT_INFO}': info }));
  }
}
