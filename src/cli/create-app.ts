import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PlinthApp } from '../core/app.js';
import { AuthService } from '../core/auth/auth-service.js';
import { OAUTH2_TOPIC } from '../core/auth/oauth2-redirect.js';
import { ApiKeyService } from '../core/api-keys/api-key-service.js';
import { SettingsMailer } from '../adapters/mail/settings-mailer.js';
import { Oauth4webapiClient } from '../adapters/oauth2/oauth4webapi-client.js';
import { CollectionService } from '../core/collections/collection-service.js';
import { SchemaRegistry } from '../core/collections/schema-registry.js';
import { RecordService } from '../core/records/record-service.js';
import { MemoryCacheVersions } from '../core/cache/cache-versions.js';
import { ResponseCache } from '../core/cache/response-cache.js';
import { RecordFileScope } from '../core/records/record-files.js';
import { FileService } from '../core/files/file-service.js';
import { BatchService } from '../core/batch/batch-service.js';
import { openFileStorage } from '../adapters/files/open-file-storage.js';
import { SharpThumbMaker } from '../adapters/files/sharp-thumb-maker.js';
import { RecordEvents } from '../core/events/record-events.js';
import { RealtimeBroker } from '../core/realtime/realtime-broker.js';
import { SettingsService } from '../core/settings/settings-service.js';
import { SqlCollectionRepository } from '../store/collections/sql-collection-repository.js';
import { SqlRecordRepository } from '../store/records/sql-record-repository.js';
import { bootstrapStore } from '../store/schema/bootstrap.js';
import { SqlSettingsRepository } from '../store/settings/sql-settings-repository.js';
import { openDbWithRetry, type RetryOptions } from '../store/open-db.js';
import { VERSION } from './version.js';
import { PromMetrics } from '../adapters/metrics/prom-metrics.js';
import { instrumentDb } from '../store/instrumented-db.js';
import { createOperations } from './operations-wiring.js';
import type { ClusterOptions, ClusterWiring } from './cluster-wiring.js';
import { randomString } from '../core/fields/random.js';
import { startWebhooks, type WebhookOptions } from './webhooks-wiring.js';
import { HookRegistry } from '../core/hooks/hook-registry.js';
import { HookedMailer } from '../core/hooks/hooked-mailer.js';
import { startHooks, type HookOptions } from './hooks-wiring.js';

export interface AppOptions extends HookOptions {
  /** Folder for the SQLite files and local state; created when missing. */
  dataDir: string;
  /**
   * The database URL (`postgres://…`, `mysql://…`, `mariadb://…`); default: `PLINTH_DATABASE_URL`,
   * else SQLite in `<dataDir>/data.db`.
   */
  db?: string;
  /** How long to wait for an unreachable database while starting (default 30 s). */
  dbRetry?: RetryOptions;
  /** A key that opens `/api/metrics` besides superuser tokens (default: `PLINTH_METRICS_KEY`). */
  metricsKey?: string;
  /**
   * Redis for a cluster of nodes on one PostgreSQL/MySQL database (default: `PLINTH_REDIS_URL`;
   * none: a single node). Realtime, collection/settings changes, rate limits and cron leases are
   * then shared (docs/scaling.md).
   */
  redis?: string | ClusterOptions;
  /** Webhook worker timings (default: the PLINTH_WEBHOOK_* variables, else DEFAULT_WEBHOOK_WORKER). */
  webhooks?: WebhookOptions;
}

/**
 * The response cache of guest reads (`settings.cache`, off by default): counters in memory on one
 * node, in Redis on a cluster; every committed write moves them before it is answered.
 */
function responseCache(settings: SettingsService, events: RecordEvents, cluster: ClusterWiring | null): ResponseCache {
  const config = () => (settings.get()['cache'] ?? {}) as { enabled?: unknown; maxEntries?: unknown };
  const cache = new ResponseCache(cluster?.cacheVersions ?? new MemoryCacheVersions(), {
    enabled: () => config().enabled === true,
    maxEntries: () => (Number.isInteger(config().maxEntries) ? (config().maxEntries as number) : 1000),
  });
  // while it is off nothing is cached, and switching it on starts empty: no counters to move
  events.onCommitted((written) => (cache.enabled ? cache.invalidate(written.map((e) => e.collection.id)) : undefined));
  cluster?.onReconnect(() => cache.clear());
  return cache;
}

/** The composition root: opens the store, bootstraps a new data dir, wires the core services. */
export async function createApp(options: AppOptions): Promise<PlinthApp> {
  mkdirSync(options.dataDir, { recursive: true });
  const url = options.db ?? process.env.PLINTH_DATABASE_URL ?? '';
  const metrics = new PromMetrics();
  const db = instrumentDb(await openDbWithRetry(url !== '' ? url : { sqliteFile: join(options.dataDir, 'data.db') }, {
    onRetry: (err, delay) => console.error(`${err.message}; retrying in ${(delay / 1000).toFixed(1)} s`),
    ...options.dbRetry,
  }), (op, seconds, failed) => metrics.observeQuery(op, seconds, failed));
  let cluster: ClusterWiring | null = null;
  let loaded: { close(): void } = { close: () => undefined };
  let app: PlinthApp;
  const hooks = new HookRegistry();
  try {
    const redis = options.redis ?? process.env.PLINTH_REDIS_URL ?? '';
    if (redis !== '') {
      // loaded only for a cluster: a single node never loads ioredis
      const { connectCluster } = await import('./cluster-wiring.js');
      cluster = await connectCluster(typeof redis === 'string' ? { url: redis, prefix: process.env.PLINTH_REDIS_PREFIX } : redis, randomString(12));
    }
    await bootstrapStore(db);
    const schema = new SchemaRegistry();
    const collectionRepository = new SqlCollectionRepository(db);
    schema.replaceAll(await collectionRepository.loadAll());

    const settings = new SettingsService(new SqlSettingsRepository(db));
    await settings.load();
    const collections = new CollectionService(schema, collectionRepository);
    const events = new RecordEvents();
    const recordRepository = new SqlRecordRepository(db, schema);
    const fileStorage = openFileStorage(options.dataDir, settings.get());
    const fileScope = new RecordFileScope(fileStorage, (message, err) => console.error(message, err));
    const records = new RecordService(schema, recordRepository, events, fileScope);
    records.cache = responseCache(settings, events, cluster);
    records.hooks = hooks;
    // one node: no PubSub, so record events are not serialised for peers that do not exist
    const realtime = new RealtimeBroker({ records, events, findCollection: (id) => schema.find(id), pubsub: cluster?.pubsub });
    await realtime.start();
    const mailer = new HookedMailer(new SettingsMailer(() => settings.get()), hooks);
    const auth = new AuthService(schema, records, settings, {
      mailer,
      // OTP attempts per account: counted by the whole cluster, or a node would multiply them
      limits: cluster?.rateLimits,
      oauth2: new Oauth4webapiClient(),
    });
    auth.oauth2Redirects = { deliver: (clientId, data) => realtime.sendToClient(clientId, OAUTH2_TOPIC, data) };
    auth.apiKeys = new ApiKeyService(schema, collections, records);
    auth.hooks = hooks;
    const files = new FileService(schema, records, recordRepository, auth, fileStorage, new SharpThumbMaker());
    const batch = new BatchService(records, settings);
    const webhooks = await startWebhooks({ db, schema, events, settings, options: options.webhooks });
    const ops = await createOperations({
      dataDir: options.dataDir, db, sqlite: url === '', schema, settings, mailer, realtime, metrics, cache: records.cache,
      metricsKey: options.metricsKey ?? process.env.PLINTH_METRICS_KEY,
    });
    const webhookService = webhooks.service;
    await cluster?.start({
      schema, settings, crons: ops.crons, loadCollections: () => collectionRepository.loadAll(),
      tracked: webhookService ? [{ kind: 'webhooks', reload: () => webhookService.refresh(), announceWith: (announce) => (webhookService.onChange = announce) }] : [],
    });

    app = {
      version: VERSION,
      dataDir: options.dataDir,
      schema,
      settings,
      collections,
      records,
      auth,
      events,
      realtime,
      files,
      batch,
      webhooks: webhooks.service,
      ops,
      cluster: cluster?.info,
      rateLimits: cluster?.rateLimits,
      hooks,
      close: async () => {
        loaded.close();
        await webhooks.close();
        await ops.close();
        await auth.background.idle();
        await fileStorage.close?.();
        await realtime.close();
        await cluster?.close();
        await db.close();
      },
    };
    hooks.app = app;
  } catch (err) {
    await cluster?.close();
    await db.close();
    throw err;
  }
  try {
    loaded = await startHooks(hooks, app.ops.crons, options);
  } catch (err) {
    await app.close();
    throw err;
  }
  return app;
}
