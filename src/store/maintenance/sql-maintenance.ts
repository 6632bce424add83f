import type { CollectionModel } from '../../core/collections/collection-model.js';
import type { Db } from '../db.js';

const toDateTime = (d: Date): string => d.toISOString().replace('T', ' ');

/**
 * Deletes the expired rows of `_mfas` or `_otps`: for each auth collection, those older than its
 * `mfa.duration` / `otp.duration` (PocketBase's `__pbMFACleanup__` / `__pbOTPCleanup__`).
 */
export async function deleteExpiredAuthRows(db: Db, table: '_mfas' | '_otps', collections: readonly CollectionModel[], now = new Date()): Promise<number> {
  const option = table === '_mfas' ? 'mfa' : 'otp';
  const q = (n: string) => db.dialect.quote(n);
  let deleted = 0;
  for (const c of collections) {
    if (c.type !== 'auth') continue;
    const opts = c.options[option] as { duration?: unknown } | undefined;
    const duration = typeof opts?.duration === 'number' && opts.duration > 0 ? opts.duration : option === 'mfa' ? 1800 : 180;
    const cutoff = toDateTime(new Date(now.getTime() - duration * 1000));
    const result = await db.run(`DELETE FROM ${q(table)} WHERE ${q('collectionRef')} = ? AND ${q('created')} < ?`, [c.id, cutoff]);
    deleted += result.changes;
  }
  return deleted;
}

/** PocketBase's `__pbDBOptimize__`: refreshes the planner statistics and trims the WAL. */
export async function optimizeDb(db: Db): Promise<void> {
  switch (db.dialect.name) {
    case 'sqlite':
      await db.exec('PRAGMA optimize; PRAGMA wal_checkpoint(TRUNCATE);');
      break;
    case 'postgres':
    case 'mysql':
      await db.exec('ANALYZE');
      break;
  }
}
