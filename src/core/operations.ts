import type { BackupService } from './backups/backup-service.js';
import type { CronScheduler } from './cron/cron-scheduler.js';
import type { LogService } from './logs/log-service.js';
import type { Metrics } from './metrics/metrics.js';
import type { SettingsChecks } from './settings/settings-checks.js';
import type { SqlConsole } from './sql-console/sql-console.js';

/**
 * The operational services of a running app (PocketBase's settings tests, logs, crons, backups
 * and SQL console, plus Plinth's metrics), wired by src/cli/operations-wiring.ts.
 */
export interface Operations {
  readonly logs: LogService;
  readonly crons: CronScheduler;
  readonly backups: BackupService;
  readonly metrics: Metrics;
  readonly sqlConsole: SqlConsole;
  readonly settingsChecks: SettingsChecks;
  /** The key that also opens `/api/metrics` (`PLINTH_METRICS_KEY`), if any. */
  readonly metricsKey: string | undefined;
  /** Re-reads the settings that schedule work (the backups cron) after a settings change. */
  settingsChanged(): void;
}
