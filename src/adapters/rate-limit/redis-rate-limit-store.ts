import type { RateLimitStore } from '../../core/auth/auth-ports.js';
import type { RedisConnection } from '../redis/redis-connection.js';
import { MemoryRateLimitStore } from './memory-rate-limit-store.js';

/** INCR, and set the window's expiry with the first hit: one round trip, atomic. */
const HIT = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

/**
 * Rate-limit counters in Redis, shared by every node (fixed windows, as the memory store). While
 * Redis is down, each node counts in its own memory instead: limits hold per node, and the
 * shared count resumes when Redis is back.
 */
export class RedisRateLimitStore implements RateLimitStore {
  readonly #fallback = new MemoryRateLimitStore();

  constructor(private readonly redis: RedisConnection) {}

  async hit(key: string, max: number, windowSeconds: number): Promise<boolean> {
    if (!this.redis.up) return this.#fallback.hit(key, max, windowSeconds);
    try {
      const count = (await this.redis.commands.eval(HIT, 1, `${this.redis.prefix}rl:${key}`, String(windowSeconds * 1000))) as number;
      return count <= max;
    } catch {
      return this.#fallback.hit(key, max, windowSeconds);
    }
  }
}
