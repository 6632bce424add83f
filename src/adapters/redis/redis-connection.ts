import { Redis } from 'ioredis';

/** Where Redis is and how its keys and channels are named. */
export interface RedisOptions {
  url: string;
  /** Prefixes every key and channel (several clusters, or test runs, may share one Redis). Default `plinth:`. */
  prefix?: string;
  /** Where the one-line state changes go (default console.error). */
  log?: (line: string) => void;
}

/**
 * The Redis connections of one node: commands, and a second connection for subscriptions (a
 * subscribed connection takes no other commands). Both reconnect on their own with backoff;
 * commands fail fast while Redis is down (no offline queue), so callers degrade instead of waiting.
 * `up` tells whether the command connection is ready; a change is logged once, not per retry.
 */
export class RedisConnection {
  readonly commands: Redis;
  readonly subscriber: Redis;
  readonly prefix: string;
  #up = false;
  #wasUp: boolean | null = null;
  #closing = false;
  readonly #log: (line: string) => void;

  constructor(options: RedisOptions) {
    this.prefix = options.prefix ?? 'plinth:';
    this.#log = options.log ?? ((line) => console.error(line));
    const common = {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      retryStrategy: (attempt: number) => Math.min(200 * 2 ** Math.min(attempt, 5), 5000),
    };
    this.commands = new Redis(options.url, common);
    // the subscriber must queue its SUBSCRIBE commands until it is connected again
    this.subscriber = new Redis(options.url, { ...common, enableOfflineQueue: true, maxRetriesPerRequest: null });
    for (const client of [this.commands, this.subscriber]) client.on('error', () => undefined);
    this.commands.on('ready', () => this.#state(true));
    this.commands.on('end', () => this.#state(false));
    this.commands.on('close', () => this.#state(false));
  }

  get up(): boolean {
    return this.#up;
  }

  /** Connects both; resolves when connected or after the first failure (the retries go on). */
  async connect(): Promise<void> {
    await Promise.all([this.commands.connect().catch(() => undefined), this.subscriber.connect().catch(() => undefined)]);
    if (!this.#up) this.#state(false);
  }

  async close(): Promise<void> {
    this.#closing = true;
    await Promise.all([this.commands.quit().catch(() => this.commands.disconnect()), this.subscriber.quit().catch(() => this.subscriber.disconnect())]);
  }

  #state(up: boolean): void {
    this.#up = up;
    if (this.#wasUp === up || this.#closing) return;
    this.#wasUp = up;
    this.#log(up
      ? 'redis: connected; realtime across nodes and shared rate limits are on'
      : 'redis: unreachable; CRUD goes on, realtime stays on this node and rate limits are counted per node until it is back');
  }
}
