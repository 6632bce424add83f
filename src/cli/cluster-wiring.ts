import { RedisCacheVersions } from '../adapters/cache/redis-cache-versions.js';
import { RedisCronLock } from '../adapters/cron/redis-cron-lock.js';
import { RedisPubSub } from '../adapters/pubsub/redis-pubsub.js';
import { RedisRateLimitStore } from '../adapters/rate-limit/redis-rate-limit-store.js';
import { RedisConnection } from '../adapters/redis/redis-connection.js';
import type { ClusterInfo } from '../core/app.js';
import type { RateLimitStore } from '../core/auth/auth-ports.js';
import type { CacheVersions } from '../core/cache/cache-versions.js';
import { ClusterSync } from '../core/cluster/cluster-sync.js';
import type { CollectionModel } from '../core/collections/collection-model.js';
import type { SchemaRegistry } from '../core/collections/schema-registry.js';
import type { CronScheduler } from '../core/cron/cron-scheduler.js';
import type { PubSub } from '../core/realtime/pubsub.js';
import type { SettingsService } from '../core/settings/settings-service.js';

/** Redis for a cluster: `--redis` / `PLINTH_REDIS_URL`, keys and channels under `prefix`. */
export interface ClusterOptions {
  url: string;
  prefix?: string;
}

/** What a node gets from Redis; wired into the broker, the rate limiter and the cron scheduler. */
export interface ClusterWiring {
  pubsub: PubSub;
  rateLimits: RateLimitStore;
  /** The response cache's counters, shared by the nodes. */
  cacheVersions: CacheVersions;
  /** Called when Redis is back after an outage (what was cached meanwhile cannot be trusted). */
  onReconnect(listener: () => void): void;
  info: ClusterInfo;
  /** Starts keeping collections and settings in step with the other nodes; and the cron lease. */
  start(deps: {
    schema: SchemaRegistry; settings: SettingsService; crons: CronScheduler; loadCollections: () => Promise<CollectionModel[]>;
    /** More state kept in step: a local change calls the returned announce, others reload. */
    tracked?: Array<{ kind: string; reload: () => Promise<void>; announceWith: (announce: () => void) => void }>;
  }): Promise<void>;
  close(): Promise<void>;
}

/**
 * Connects to Redis (a start with Redis down goes on: the node serves CRUD and reconnects in
 * the background) and builds the shared pieces of a cluster node.
 */
export async function connectCluster(options: ClusterOptions, nodeId: string): Promise<ClusterWiring> {
  const redis = new RedisConnection({ url: options.url, prefix: options.prefix });
  await redis.connect();
  const pubsub = new RedisPubSub(redis);
  let sync: ClusterSync | null = null;
  let everUp = redis.up;
  const reconnectListeners: Array<() => void> = [];
  // announcements sent while this node could not hear them are lost: reload all on reconnect
  redis.commands.on('ready', () => {
    if (everUp) {
      void sync?.resync();
      for (const listener of reconnectListeners) listener();
    }
    everUp = true;
  });
  return {
    pubsub,
    rateLimits: new RedisRateLimitStore(redis),
    cacheVersions: new RedisCacheVersions(redis),
    onReconnect: (listener) => void reconnectListeners.push(listener),
    info: { nodeId, redis: () => (redis.up ? 'up' : 'down') },
    async start({ schema, settings, crons, loadCollections, tracked = [] }) {
      crons.lock = new RedisCronLock(redis, nodeId);
      const started = new ClusterSync({ pubsub, nodeId, schema, settings, loadCollections });
      for (const { kind, reload, announceWith } of tracked) announceWith(started.track(kind, reload));
      sync = started;
      await started.start();
    },
    async close() {
      await sync?.close();
      await pubsub.close();
      await redis.close();
    },
  };
}
