import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/store/db.js';
import { SqlCollectionRepository } from '../../../src/store/collections/sql-collection-repository.js';
import { bootstrapStore } from '../../../src/store/schema/bootstrap.js';
import { SqlSettingsRepository } from '../../../src/store/settings/sql-settings-repository.js';
import { dialectTargets, type TestDb } from '../dialects/dialect-fixture.js';

const targets = await dialectTargets('bootstrap dialect matrix');

for (const target of targets) {
  describe.skipIf(!target.open)(`bootstrapStore on ${target.name}`, () => {
    const handles: TestDb[] = [];
    afterEach(async () => {
      for (const h of handles.splice(0)) await h.dispose();
    });

    async function openFresh(): Promise<Db> {
      if (!target.open) throw new Error('unavailable');
      const handle = await target.open();
      handles.push(handle);
      return handle.db;
    }

    const tables = async (db: Db) => (await db.all<{ name: string }>(db.dialect.listTablesSql())).map((r) => r.name);

    it('creates PocketBase system tables and collections on an empty database', async () => {
      const db = await openFresh();
      await bootstrapStore(db);
      expect(await tables(db)).toEqual(expect.arrayContaining(['_collections', '_params', '_migrations', '_superusers', '_externalAuths', '_mfas', '_otps', '_authOrigins', 'users']));
      const collections = await new SqlCollectionRepository(db).loadAll();
      const byName = new Map(collections.map((c) => [c.name, c]));
      expect(collections.map((c) => c.name)).toEqual(['_mfas', '_otps', '_externalAuths', '_authOrigins', '_superusers', 'users']);
      expect(byName.get('_superusers')?.id).toBe('pbc_3142635823');
      expect(byName.get('_externalAuths')?.id).toBe('pbc_2281828961');
      expect(byName.get('users')?.id).toBe('_pb_users_auth_');
      expect(byName.get('users')?.fields.map((f) => f.name)).toEqual(
        ['id', 'password', 'tokenKey', 'email', 'emailVisibility', 'verified', 'name', 'avatar', 'created', 'updated'],
      );
      // stored PocketBase-style whatever the dialect; rendered per dialect when created
      expect(byName.get('_superusers')?.indexes).toContain('CREATE UNIQUE INDEX `idx_tokenKey_pbc_3142635823` ON `_superusers` (`tokenKey`)');
      const secret = (byName.get('users')?.options.authToken as { secret: string }).secret;
      expect(secret).toHaveLength(50);
      const owner = await new SqlCollectionRepository(db).indexOwner('idx_tokenKey_pbc_3142635823');
      expect(owner).toBe('_superusers');
    });

    it('is idempotent and leaves an existing store untouched', async () => {
      const db = await openFresh();
      await bootstrapStore(db);
      const q = db.dialect.quote;
      const before = await db.all(`SELECT * FROM ${q('_collections')} ORDER BY ${q('id')}`);
      await bootstrapStore(db);
      expect(await db.all(`SELECT * FROM ${q('_collections')} ORDER BY ${q('id')}`)).toEqual(before);
    });

    it('stores dates in the API format and settings with an upsert', async () => {
      const db = await openFresh();
      await bootstrapStore(db);
      const row = await db.get<{ created: string }>(`SELECT created FROM ${db.dialect.quote('_collections')} WHERE name = 'users'`);
      expect(row?.created).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      // the column default, for rows written without dates
      await db.run(`INSERT INTO ${db.dialect.quote('_params')} (id, value) VALUES (?, ?)`, ['x', '{}']);
      const param = await db.get<{ created: string }>(`SELECT created FROM ${db.dialect.quote('_params')} WHERE id = 'x'`);
      expect(param?.created).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      const settings = new SqlSettingsRepository(db);
      await settings.save({ meta: { appName: 'a' } } as never);
      await settings.save({ meta: { appName: 'b' } } as never);
      expect(await settings.load()).toEqual({ meta: { appName: 'b' } });
    });
  });
}

describe('bootstrapStore secrets', () => {
  it('generates fresh secrets per install', async () => {
    const [sqlite] = targets;
    if (!sqlite?.open) throw new Error('sqlite target missing');
    const a = await sqlite.open();
    const b = await sqlite.open();
    await bootstrapStore(a.db);
    await bootstrapStore(b.db);
    const q = "SELECT options FROM `_collections` WHERE name = 'users'";
    const options = async (db: Db) => (await db.get<{ options: string }>(q))?.options;
    expect(await options(a.db)).not.toEqual(await options(b.db));
    await a.dispose();
    await b.dispose();
  });
});
