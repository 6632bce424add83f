import type { PubSub, PubSubHandler } from '../../core/realtime/pubsub.js';
import type { RedisConnection } from '../redis/redis-connection.js';

/**
 * Redis pub/sub behind the {@link PubSub} port: what the realtime broker and the cluster sync of
 * one node publish reaches every node (itself included). While Redis is down, publishes are
 * dropped (the local node still delivers its own events) and subscriptions resume on reconnect.
 */
export class RedisPubSub implements PubSub {
  readonly #handlers = new Map<string, Set<PubSubHandler>>();

  constructor(private readonly redis: RedisConnection) {
    redis.subscriber.on('message', (channel: string, message: string) => {
      for (const handler of this.#handlers.get(channel) ?? []) handler(message);
    });
  }

  async publish(channel: string, message: string): Promise<void> {
    if (!this.redis.up) return;
    await this.redis.commands.publish(this.redis.prefix + channel, message).catch(() => undefined);
  }

  async subscribe(channel: string, handler: PubSubHandler): Promise<() => Promise<void>> {
    const name = this.redis.prefix + channel;
    let set = this.#handlers.get(name);
    if (!set) {
      set = new Set();
      this.#handlers.set(name, set);
      // queued until connected (the subscriber keeps an offline queue and re-subscribes itself)
      void this.redis.subscriber.subscribe(name).catch(() => undefined);
    }
    set.add(handler);
    return async () => {
      set.delete(handler);
      if (set.size === 0) {
        this.#handlers.delete(name);
        await this.redis.subscriber.unsubscribe(name).catch(() => undefined);
      }
    };
  }

  async close(): Promise<void> {
    this.#handlers.clear();
  }
}
