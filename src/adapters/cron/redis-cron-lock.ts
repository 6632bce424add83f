import type { CronLock } from '../../core/cron/cron-scheduler.js';
import type { RedisConnection } from '../redis/redis-connection.js';

/** Deletes the lease only if this node still holds it. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Cron runs once per cluster: a node runs a job's tick only if it took the tick's lease
 * (`SET … NX PX`) in Redis; a holder that dies leaves the lease to expire. While Redis is down
 * every node runs its jobs (the maintenance jobs are idempotent), and says so in the log.
 */
export class RedisCronLock implements CronLock {
  constructor(private readonly redis: RedisConnection, private readonly nodeId: string) {}

  async tryAcquire(key: string, ttlMs: number): Promise<boolean> {
    if (!this.redis.up) return true;
    try {
      const ok = await this.redis.commands.set(`${this.redis.prefix}cron:${key}`, this.nodeId, 'PX', ttlMs, 'NX');
      return ok === 'OK';
    } catch {
      return true;
    }
  }

  async release(key: string): Promise<void> {
    if (!this.redis.up) return;
    await this.redis.commands.eval(RELEASE, 1, `${this.redis.prefix}cron:${key}`, this.nodeId).catch(() => undefined);
  }
}
