import PocketBase from 'pocketbase';

/**
 * `pocketbase` SDK clients for one test server: auto-cancellation off, an optional token, and
 * every client remembered so that `closeAll` can drop their realtime connections.
 */
export class SdkClients {
  readonly #clients: PocketBase[] = [];

  constructor(private readonly url: () => string) {}

  /** A new client, signed in with `token` when given. */
  client(token?: string): PocketBase {
    const pb = new PocketBase(this.url());
    pb.autoCancellation(false);
    if (token) pb.authStore.save(token, null);
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
