import { nowDateTime } from '../../core/collections/collection-ids.js';
import type { Db } from '../db.js';
import { SqlCollectionRepository } from '../collections/sql-collection-repository.js';
import { coreTablesSql } from './core-tables.js';
import { systemCollections } from './system-collections.js';

/** Whether the database already holds `_collections` (a PocketBase or Plinth store). */
export async function hasStore(db: Db): Promise<boolean> {
  const row = await db.get(`SELECT 1 AS x FROM (${db.dialect.listTablesSql()}) t WHERE name = '_collections'`);
  return row !== undefined;
}

/** Creates the core tables (`_migrations`, `_params`, `_collections`) inside `tx`. */
export async function createCoreTables(tx: Db): Promise<void> {
  for (const sql of coreTablesSql(tx.dialect)) await tx.exec(sql);
}

/**
 * Prepares a data dir's database: on an empty one, creates PocketBase v0.23+'s system tables and
 * collections (`_collections`, `_params`, `_migrations`, `_mfas`, `_otps`, `_externalAuths`,
 * `_authOrigins`, `_superusers`, `users`) in one transaction. A database that already has
 * `_collections` (an existing PocketBase or Plinth dir) is left untouched. Idempotent.
 *
 * On MySQL/MariaDB, DDL commits implicitly, so a bootstrap interrupted half-way leaves some tables
 * behind; the next start then finds `_collections` and must be pointed at an empty database again.
 */
export async function bootstrapStore(db: Db): Promise<void> {
  if (await hasStore(db)) return;
  await db.transaction(async (tx) => {
    if (await hasStore(tx)) return;
    await createCoreTables(tx);
    const repository = new SqlCollectionRepository(tx);
    for (const c of systemCollections()) {
      const now = nowDateTime();
      c.created = now;
      c.updated = now;
      await repository.save(c, null);
    }
  });
}
