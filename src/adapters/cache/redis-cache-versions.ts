import type { CacheVersions } from '../../core/cache/cache-versions.js';
import type { RedisConnection } from '../redis/redis-connection.js';

/**
 * The response cache's version counters in Redis, shared by every node: a write on node A moves
 * them before A answers, and node B reads them before each cached read. While Redis is down the
 * counters cannot be trusted: reads are not cached (`read` fails, and the cache computes).
 */
export class RedisCacheVersions implements CacheVersions {
  constructor(private readonly redis: RedisConnection) {}

  async read(keys: readonly string[]): Promise<number[]> {
    if (!this.redis.up) throw new Error('redis is down');
    const values = await this.redis.commands.mget(...keys.map((k) => `${this.redis.prefix}cv:${k}`));
    return values.map((v) => Number(v ?? 0));
  }

  async bump(keys: readonly string[]): Promise<void> {
    if (!this.redis.up) return;
    const pipeline = this.redis.commands.pipeline();
    for (const k of keys) pipeline.incr(`${this.redis.prefix}cv:${k}`);
    await pipeline.exec();
  }
}
