import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** better-sqlite3's entry point, resolved from here: an eval'd worker has no module resolution of its own. */
const DRIVER = createRequire(import.meta.url).resolve('better-sqlite3');

/**
 * Starts a worker thread from `source` (CommonJS text) that opens SQLite connections of its own:
 * it finds the driver at `require(workerData.driver)` and everything else in `workerData`. The
 * log writer, the WAL checkpointer and the backup snapshot run their SQLite work this way.
 */
export function startSqliteWorker(source: string, workerData: Record<string, unknown>): Worker {
  return new Worker(source, { eval: true, workerData: { ...workerData, driver: DRIVER } });
}
