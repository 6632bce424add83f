import PocketBase, { ClientResponseError } from 'pocketbase';

/** A `pocketbase` SDK client for `url`: auto-cancellation off, signed in with `token` when given. */
export function sdkClient(url: string, token?: string): PocketBase {
  const pb = new PocketBase(url);
  pb.autoCancellation(false);
  if (token) pb.authStore.save(token, null);
  return pb;
}

/**
 * Awaits an SDK call that must fail and returns its `ClientResponseError`; throws when the call
 * succeeds or fails with anything else.
 */
export async function sdkFailure(promise: Promise<unknown>): Promise<ClientResponseError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ClientResponseError) return err;
    throw err;
  }
  throw new Error('expected the request to fail');
}

/**
 * `pocketbase` SDK clients for one test server: auto-cancellation off, an optional token, and
 * every client remembered so that `closeAll` can drop their realtime connections.
 */
export class SdkClients {
  readonly #clients: PocketBase[] = [];

  constructor(private readonly url: () => string) {}

  /** A new client, signed in with `token` when given. */
  client(token?: string): PocketBase {
    const pb = sdkClient(this.url(), token);
    this.#clients.push(pb);
    return pb;
  }

  /** Unsubscribes every client made so far (their SSE connections close). */
  async closeAll(): Promise<void> {
    for (const pb of this.#clients.splice(0)) await pb.realtime.unsubscribe().catch(() => undefined);
  }
}

/** Polls `check` every 10 ms until it holds; throws after `timeoutMs`. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
