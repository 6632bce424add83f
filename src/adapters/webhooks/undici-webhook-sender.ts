import { isIP } from 'node:net';
import type { Agent, request as undiciRequest } from 'undici';
import type { SendResult, WebhookSender } from '../../core/webhooks/webhook-ports.js';
import { AddressGuard } from './address-guard.js';

const MAX_REDIRECTS = 3;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Sends webhook POSTs with undici through the {@link AddressGuard}: IP literals are checked before
 * connecting, host names at connect time by the guard's lookup. Redirects are followed by hand, at
 * most 3, each target checked like the first URL (same method and body); the answer's body is
 * read and dropped.
 */
export class UndiciWebhookSender implements WebhookSender {
  readonly #guard: AddressGuard;
  /** undici and its agent, loaded with the first delivery (a server without webhooks never loads it). */
  #undici: Promise<{ agent: Agent; request: typeof undiciRequest }> | null = null;

  constructor(allowed: () => readonly string[]) {
    this.#guard = new AddressGuard(allowed);
  }

  #client() {
    return (this.#undici ??= import('undici').then(({ Agent: UndiciAgent, request }) => ({
      agent: new UndiciAgent({ connect: { lookup: this.#guard.lookup }, keepAliveTimeout: 4000 }),
      request,
    })));
  }

  async send(url: string, headers: Readonly<Record<string, string>>, body: string, timeoutMs: number): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    let target = url;
    try {
      const { agent, request } = await this.#client();
      for (let hop = 0; ; hop++) {
        const refusal = this.#literalRefusal(target);
        if (refusal) return { status: 0, durationMs: elapsed(), error: refusal };
        const res = await request(target, {
          method: 'POST', headers, body, dispatcher: agent,
          headersTimeout: timeoutMs, bodyTimeout: timeoutMs, signal: AbortSignal.timeout(timeoutMs),
        });
        await res.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
        const location = res.headers.location;
        if (!REDIRECTS.has(res.statusCode) || typeof location !== 'string') {
          return { status: res.statusCode, durationMs: elapsed(), error: res.statusCode >= 200 && res.statusCode < 300 ? '' : `the receiver answered ${res.statusCode}` };
        }
        if (hop >= MAX_REDIRECTS) return { status: res.statusCode, durationMs: elapsed(), error: `more than ${MAX_REDIRECTS} redirects` };
        target = new URL(location, target).toString();
        if (!/^https?:$/.test(new URL(target).protocol)) return { status: res.statusCode, durationMs: elapsed(), error: 'redirect to a non-HTTP URL refused' };
      }
    } catch (err) {
      return { status: 0, durationMs: elapsed(), error: errorText(err) };
    }
  }

  /** Why an IP-literal URL is refused (sockets skip the lookup for literals), or null. */
  #literalRefusal(target: string): string | null {
    const host = new URL(target).hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) === 0 || this.#guard.hostAllowed(host)) return null;
    return this.#guard.refusal(host, host);
  }

  /** Closes the pooled connections. */
  close(): Promise<void> {
    return this.#undici ? this.#undici.then(({ agent }) => agent.close()) : Promise.resolve();
  }
}

function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? err.cause : undefined;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? (err as NodeJS.ErrnoException).code;
  if (code === 'ERR_WEBHOOK_ADDRESS_REFUSED') return cause?.message ?? err.message;
  return cause ? `${err.message}: ${cause.message}` : err.message;
}
