import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

/** One GraphQL subscription over `graphql-ws`, read event by event. */
export interface WsSubscription {
  /** Resolves once the socket is connected and acknowledged (the subscribe message follows it). */
  ready: Promise<void>;
  /** The next event's `data`; rejects on a GraphQL error, or after `timeoutMs`. */
  next(timeoutMs?: number): Promise<unknown>;
  close(): Promise<void>;
}

type Item = { data: unknown } | { error: unknown } | { done: true };

/** Subscribes to `query` on a test server's `/api/graphql`, with `token` as connection param. */
export function subscribeOnce(url: string, query: string, token?: string, variables?: Record<string, unknown>): WsSubscription {
  let connected: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (connected = resolve));
  const client = createClient({
    url: `${url.replace(/^http/, 'ws')}/api/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: token ? { Authorization: token } : {},
    lazy: false,
    retryAttempts: 0,
    on: { connected: () => connected() },
  });
  const queue: Item[] = [];
  let wake: (() => void) | null = null;
  const push = (item: Item) => {
    queue.push(item);
    wake?.();
  };
  const stop = client.subscribe({ query, variables }, {
    next: (value) => push(value.errors ? { error: value.errors } : { data: value.data }),
    error: (error) => push({ error: error instanceof Error ? error.message : { code: (error as { code?: number }).code, reason: (error as { reason?: string }).reason } }),
    complete: () => push({ done: true }),
  });
  return {
    ready,
    async next(timeoutMs = 5000) {
      const end = Date.now() + timeoutMs;
      while (queue.length === 0) {
        if (Date.now() > end) throw new Error('no event in time');
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 50);
        });
      }
      const item = queue.shift() as Item;
      if ('done' in item) throw new Error('the subscription ended');
      if ('error' in item) throw new Error(JSON.stringify(item.error));
      return item.data;
    },
    async close() {
      stop();
      await client.dispose();
    },
  };
}
