import { nowDateTime } from '../../core/collections/collection-ids.js';
import type { Db } from '../db.js';
import { SqlCollectionRepository } from '../collections/sql-collection-repository.js';
import { systemCollections } from './system-collections.js';

const NOW_DEFAULT = "(strftime('%Y-%m-%d %H:%M:%fZ'))";
const RANDOM_ID = "('r'||lower(hex(randomblob(7))))";

const CORE_TABLES = `
CREATE TABLE \`_migrations\` (\`file\` VARCHAR(255) PRIMARY KEY NOT NULL, \`applied\` INTEGER NOT NULL);
CREATE TABLE \`_params\` (
  \`id\`      TEXT PRIMARY KEY DEFAULT ${RANDOM_ID} NOT NULL,
  \`value\`   JSON DEFAULT NULL,
  \`created\` TEXT DEFAULT ${NOW_DEFAULT} NOT NULL,
  \`updated\` TEXT DEFAULT ${NOW_DEFAULT} NOT NULL
);
CREATE TABLE \`_collections\` (
  \`id\`         TEXT PRIMARY KEY DEFAULT ${RANDOM_ID} NOT NULL,
  \`system\`     BOOLEAN DEFAULT FALSE NOT NULL,
  \`type\`       TEXT DEFAULT 'base' NOT NULL,
  \`name\`       TEXT UNIQUE NOT NULL,
  \`fields\`     JSON DEFAULT '[]' NOT NULL,
  \`indexes\`    JSON DEFAULT '[]' NOT NULL,
  \`listRule\`   TEXT DEFAULT NULL,
  \`viewRule\`   TEXT DEFAULT NULL,
  \`createRule\` TEXT DEFAULT NULL,
  \`updateRule\` TEXT DEFAULT NULL,
  \`deleteRule\` TEXT DEFAULT NULL,
  \`options\`    JSON DEFAULT '{}' NOT NULL,
  \`created\`    TEXT DEFAULT ${NOW_DEFAULT} NOT NULL,
  \`updated\`    TEXT DEFAULT ${NOW_DEFAULT} NOT NULL
);
CREATE INDEX IF NOT EXISTS \`idx__collections_type\` ON \`_collections\` (\`type\`);
`;

/**
 * Prepares a data dir's database: on an empty one, creates PocketBase v0.23+'s system tables and
 * collections (`_collections`, `_params`, `_migrations`, `_mfas`, `_otps`, `_externalAuths`,
 * `_authOrigins`, `_superusers`, `users`) in one transaction. A database that already has
 * `_collections` (an existing PocketBase or Plinth dir) is left untouched. Idempotent.
 */
export async function bootstrapStore(db: Db): Promise<void> {
  const exists = await db.get("SELECT 1 AS x FROM sqlite_schema WHERE type = 'table' AND name = '_collections'");
  if (exists) return;
  await db.transaction(async (tx) => {
    const again = await tx.get("SELECT 1 AS x FROM sqlite_schema WHERE type = 'table' AND name = '_collections'");
    if (again) return;
    await tx.exec(CORE_TABLES);
    const repository = new SqlCollectionRepository(tx);
    for (const c of systemCollections()) {
      const now = nowDateTime();
      c.created = now;
      c.updated = now;
      await repository.save(c, null);
    }
  });
}
