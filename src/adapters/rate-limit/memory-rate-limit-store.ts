import type { RateLimitStore } from '../../core/auth/auth-ports.js';
import { MemoryCounter } from '../../core/auth/memory-counter.js';

/**
 * Rate-limit counters in this process's memory: right for one node. A cluster needs a shared
 * store (Redis) behind the same {@link RateLimitStore} port so that every node counts together.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly #counter = new MemoryCounter();

  hit(key: string, max: number, windowSeconds: number): Promise<boolean> {
    return Promise.resolve(this.#counter.hitSync(key, max, windowSeconds));
  }
}
