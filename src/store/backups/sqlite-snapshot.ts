import { existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { startSqliteWorker } from '../sqlite/sqlite-worker.js';

/** The worker: a connection of its own, `VACUUM INTO` (one read transaction = one snapshot). */
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.source, { readonly: true, fileMustExist: true });
try {
  db.pragma('busy_timeout = 10000');
  db.prepare('VACUUM INTO ?').run(workerData.target);
  parentPort.postMessage({ ok: true });
} catch (err) {
  parentPort.postMessage({ ok: false, message: String(err && err.message || err) });
} finally {
  db.close();
}
`;

/**
 * Copies the SQLite database `source` to the new file `target` as one consistent snapshot while
 * other connections keep writing (WAL mode: the copy is a read transaction, writers are never
 * blocked). Runs in a worker thread so the event loop keeps serving; `onProgress` receives the
 * bytes written so far every `intervalMs`.
 */
export async function snapshotSqlite(
  source: string,
  target: string,
  onProgress?: (written: number, total: number) => void,
  intervalMs = 1000,
): Promise<void> {
  const total = statSync(source).size;
  const worker = startSqliteWorker(WORKER_SOURCE, { source, target });
  const timer = onProgress
    ? setInterval(() => onProgress(existsSync(target) ? statSync(target).size : 0, total), intervalMs)
    : null;
  try {
    await new Promise<void>((resolve, reject) => {
      worker.once('message', (m: { ok: boolean; message?: string }) => (m.ok ? resolve() : reject(new Error(m.message))));
      worker.once('error', reject);
      worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`snapshot worker exited with ${code}`))));
    });
  } finally {
    if (timer) clearInterval(timer);
    await worker.terminate();
  }
  onProgress?.(statSync(target).size, total);
}

/**
 * Checks that `file` is a sound SQLite database of Plinth/PocketBase: `PRAGMA quick_check` passes
 * and the `_collections` table exists. Throws an Error with a clear message otherwise.
 */
export function checkSqliteDataDb(file: string): void {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new Error(`data.db cannot be opened: ${(err as Error).message}`);
  }
  try {
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`data.db is corrupted (${String(check)})`);
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_collections'").get();
    if (!table) throw new Error('data.db has no _collections table');
  } catch (err) {
    const message = (err as Error).message;
    throw new Error(message.startsWith('data.db') ? message : `data.db is not a valid SQLite database: ${message}`);
  } finally {
    db.close();
  }
}
