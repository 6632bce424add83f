import type { RateLimitStore } from './auth-ports.js';

/**
 * Fixed-window hit counters in this process's memory: the default {@link RateLimitStore} of the
 * core (OTP attempts) and of single-node servers. Expired windows are swept as keys are hit.
 */
export class MemoryCounter implements RateLimitStore {
  readonly #windows = new Map<string, { count: number; resetAt: number }>();
  #lastSweep = 0;

  async hit(key: string, max: number, windowSeconds: number): Promise<boolean> {
    return this.hitSync(key, max, windowSeconds);
  }

  /** The synchronous form of {@link hit} (no I/O here). */
  hitSync(key: string, max: number, windowSeconds: number, now = Date.now()): boolean {
    this.#sweep(now);
    let window = this.#windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + Math.max(1, windowSeconds) * 1000 };
      this.#windows.set(key, window);
    }
    window.count++;
    return window.count <= max;
  }

  #sweep(now: number): void {
    if (now - this.#lastSweep < 10_000) return;
    this.#lastSweep = now;
    for (const [key, window] of this.#windows) if (window.resetAt <= now) this.#windows.delete(key);
  }
}
