import { join } from 'node:path';
import type { CollectionModel } from '../core/collections/collection-model.js';
import { BackupService } from '../core/backups/backup-service.js';
import { CronScheduler } from '../core/cron/cron-scheduler.js';
import type { ResponseCache } from '../core/cache/response-cache.js';
import { LogService } from '../core/logs/log-service.js';
import type { Mailer } from '../core/mail/mailer.js';
import type { Metrics } from '../core/metrics/metrics.js';
import type { Operations } from '../core/operations.js';
import type { RealtimeBroker } from '../core/realtime/realtime-broker.js';
import { SettingsChecks } from '../core/settings/settings-checks.js';
import type { SettingsService } from '../core/settings/settings-service.js';
import type { SchemaRegistry } from '../core/collections/schema-registry.js';
import { SqlConsole } from '../core/sql-console/sql-console.js';
import { LocalBackupStorage } from '../adapters/backups/local-backup-storage.js';
import { openFileStorage } from '../adapters/files/open-file-storage.js';
import { DataDirArchiver } from '../adapters/zip/data-dir-archiver.js';
import type { Db } from '../store/db.js';
import { checkSqliteDataDb, snapshotSqlite } from '../store/backups/sqlite-snapshot.js';
import { SqlLogStore } from '../store/logs/sql-log-store.js';
import { deleteExpiredAuthRows, optimizeDb } from '../store/maintenance/sql-maintenance.js';
import { openDb } from '../store/open-db.js';
import { DbSqlExecutor } from '../store/sql-console/db-sql-executor.js';
import { SqliteSqlExecutor } from '../store/sql-console/sqlite-sql-executor.js';

/** What the operations need from the rest of the app. */
export interface OperationsDeps {
  dataDir: string;
  db: Db;
  /** True when `db` is the SQLite file `<dataDir>/data.db`. */
  sqlite: boolean;
  schema: SchemaRegistry;
  settings: SettingsService;
  mailer: Mailer;
  realtime: RealtimeBroker;
  metrics: Metrics;
  metricsKey?: string;
  /** The response cache, for its figures in /api/metrics. */
  cache?: ResponseCache | null;
}

export const AUTO_BACKUP_JOB = '__pbAutoBackup__';

/**
 * Builds the logs (SQLite `auxiliary.db` beside `data.db`, or a `_logs` table of a networked
 * database), the cron scheduler with PocketBase's maintenance jobs, backups, the SQL console, the
 * settings checks and the metrics gauges. Returns the services and their `close`.
 */
export async function createOperations(deps: OperationsDeps): Promise<Operations & { close(): Promise<void> }> {
  const { dataDir, db, settings, metrics } = deps;
  const logFile = join(dataDir, 'auxiliary.db');
  const logDb = deps.sqlite ? await openDb({ sqliteFile: logFile }) : db;
  const logs = new LogService(await SqlLogStore.open(logDb, deps.sqlite, deps.sqlite ? logFile : undefined), () => settings.get(), {
    onError: (err) => console.error('request log write failed', err),
  });

  const backups = new BackupService({
    dataDir,
    storage: new LocalBackupStorage(join(dataDir, 'backups')),
    archiver: deps.sqlite ? new DataDirArchiver({ dataDir, snapshot: snapshotSqlite, checkDataDb: checkSqliteDataDb }) : null,
    appName: () => String((settings.get().meta as Record<string, unknown> | undefined)?.appName ?? ''),
    progress: (phase, done, total) => console.log(`backup: ${phase} ${total > 0 ? `${Math.round((done / total) * 100)}%` : done}`),
  });

  const crons = new CronScheduler();
  crons.onRun((job, outcome, ms, error) => {
    metrics.observeCron(job, outcome, ms / 1000);
    if (outcome === 'error') logs.add(8, `cron job ${job} failed`, { type: 'cron', job, error: String((error as Error)?.message ?? error) });
  });
  const authCollections = (): CollectionModel[] => deps.schema.all().filter((c) => c.type === 'auth');
  crons.add('__pbLogsCleanup__', '0 */6 * * *', async () => void (await logs.cleanup()));
  crons.add('__pbDBOptimize__', '0 0 * * *', () => optimizeDb(db));
  crons.add('__pbMFACleanup__', '0 * * * *', async () => void (await deleteExpiredAuthRows(db, '_mfas', authCollections())));
  crons.add('__pbOTPCleanup__', '0 * * * *', async () => void (await deleteExpiredAuthRows(db, '_otps', authCollections())));

  const syncAutoBackup = () => {
    const b = (settings.get().backups ?? {}) as Record<string, unknown>;
    const cron = typeof b.cron === 'string' ? b.cron : '';
    const keep = typeof b.cronMaxKeep === 'number' ? b.cronMaxKeep : 3;
    if (cron === '' || !deps.sqlite) crons.remove(AUTO_BACKUP_JOB);
    else crons.add(AUTO_BACKUP_JOB, cron, async () => void (await backups.autoBackup(keep)));
  };
  syncAutoBackup();
  crons.start();

  const sqliteConsole = deps.sqlite ? new SqliteSqlExecutor(join(dataDir, 'data.db')) : null;
  const sqlConsole = new SqlConsole(sqliteConsole ?? new DbSqlExecutor(db));

  const settingsChecks = new SettingsChecks({
    schema: deps.schema,
    settings: () => settings.get(),
    mailer: deps.mailer,
    openS3: (s3) => openFileStorage(dataDir, { s3 }),
  });

  metrics.gauge('plinth_realtime_connections', 'Open realtime connections on this node.', () => deps.realtime.clientCount);
  if (deps.cache) {
    const stats = deps.cache.stats;
    metrics.gauge('plinth_cache_hits', 'Response cache hits on this node since start.', () => stats.hits);
    metrics.gauge('plinth_cache_misses', 'Response cache misses on this node since start.', () => stats.misses);
    metrics.gauge('plinth_cache_entries', 'Answers the response cache holds on this node.', () => stats.entries);
    metrics.gauge('plinth_cache_hit_ratio', 'Hits / (hits + misses) on this node since start.', () => (stats.hits + stats.misses > 0 ? stats.hits / (stats.hits + stats.misses) : 0));
  }
  metrics.gauge('plinth_request_log_dropped_total', 'Request log entries lost (queue overflow or failed writes).', () => logs.dropped);

  return {
    logs,
    crons,
    backups,
    metrics,
    sqlConsole,
    settingsChecks,
    metricsKey: deps.metricsKey,
    settingsChanged: () => {
      logs.refreshConfig();
      syncAutoBackup();
    },
    close: async () => {
      crons.stop();
      await crons.idle();
      sqliteConsole?.close();
      await logs.close();
      metrics.close();
    },
  };
}
