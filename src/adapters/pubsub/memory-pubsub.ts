import type { PubSub, PubSubHandler } from '../../core/realtime/pubsub.js';

/**
 * In-process pub/sub: every subscriber of the same instance receives each message, on a later
 * microtask (as a networked adapter would deliver it: never inside `publish`). One instance
 * shared by several brokers simulates several nodes.
 */
export class MemoryPubSub implements PubSub {
  readonly #channels = new Map<string, Set<PubSubHandler>>();
  #closed = false;

  async publish(channel: string, message: string): Promise<void> {
    if (this.#closed) return;
    const handlers = this.#channels.get(channel);
    if (!handlers || handlers.size === 0) return;
    const targets = [...handlers];
    queueMicrotask(() => {
      for (const handler of targets) {
        try {
          handler(message);
        } catch (error) {
          console.error('pubsub handler failed:', error);
        }
      }
    });
  }

  async subscribe(channel: string, handler: PubSubHandler): Promise<() => Promise<void>> {
    let handlers = this.#channels.get(channel);
    if (!handlers) {
      handlers = new Set();
      this.#channels.set(channel, handlers);
    }
    const wrapped: PubSubHandler = (message) => handler(message);
    handlers.add(wrapped);
    return async () => {
      handlers.delete(wrapped);
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#channels.clear();
  }
}
