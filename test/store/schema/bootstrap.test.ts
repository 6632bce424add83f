import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { SqlCollectionRepository } from '../../../src/store/collections/sql-collection-repository.js';
import { bootstrapStore } from '../../../src/store/schema/bootstrap.js';
import { SqliteDb } from '../../../src/store/sqlite/sqlite-db.js';
import { makeTempDir, removeDir } from '../../helpers/fixture-copy.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeDir(d);
});

async function openFresh(): Promise<{ db: SqliteDb; dir: string }> {
  const dir = makeTempDir();
  dirs.push(dir);
  return { db: new SqliteDb(join(dir, 'data.db')), dir };
}

describe('bootstrapStore', () => {
  it('creates PocketBase system tables and collections on an empty database', async () => {
    const { db } = await openFresh();
    await bootstrapStore(db);
    const tables = (await db.all<{ name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")).map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['_collections', '_params', '_migrations', '_superusers', '_externalAuths', '_mfas', '_otps', '_authOrigins', 'users']));
    const collections = await new SqlCollectionRepository(db).loadAll();
    const byName = new Map(collections.map((c) => [c.name, c]));
    expect(byName.get('_superusers')?.id).toBe('pbc_3142635823');
    expect(byName.get('_externalAuths')?.id).toBe('pbc_2281828961');
    expect(byName.get('users')?.id).toBe('_pb_users_auth_');
    expect(byName.get('users')?.fields.map((f) => f.name)).toEqual(
      ['id', 'password', 'tokenKey', 'email', 'emailVisibility', 'verified', 'name', 'avatar', 'created', 'updated'],
    );
    expect(byName.get('_superusers')?.indexes).toContain('CREATE UNIQUE INDEX `idx_tokenKey_pbc_3142635823` ON `_superusers` (`tokenKey`)');
    const secret = (byName.get('users')?.options.authToken as { secret: string }).secret;
    expect(secret).toHaveLength(50);
    await db.close();
  });

  it('is idempotent and leaves an existing data dir untouched', async () => {
    const { db } = await openFresh();
    await bootstrapStore(db);
    const before = await db.all('SELECT * FROM `_collections` ORDER BY id');
    await bootstrapStore(db);
    expect(await db.all('SELECT * FROM `_collections` ORDER BY id')).toEqual(before);
    await db.close();
  });

  it('generates fresh secrets per install', async () => {
    const a = await openFresh();
    const b = await openFresh();
    await bootstrapStore(a.db);
    await bootstrapStore(b.db);
    const q = "SELECT options FROM `_collections` WHERE name = 'users'";
    const options = async (db: SqliteDb) => (await db.get<{ options: string }>(q))?.options;
    expect(await options(a.db)).not.toEqual(await options(b.db));
    await a.db.close();
    await b.db.close();
  });
});
