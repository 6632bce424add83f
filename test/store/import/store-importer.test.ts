import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import type { Db } from '../../../src/store/db.js';
import { IMPORT_MARKER, ImportRefusedError, convertValue, importStore } from '../../../src/store/import/store-importer.js';
import { SqliteDb } from '../../../src/store/sqlite/sqlite-db.js';
import { copyFixture, removeDir } from '../../helpers/fixture-copy.js';
import { requireShared } from '../../helpers/requirements.js';
import { dialectTargets, type TestDb } from '../dialects/dialect-fixture.js';

const hasShared = requireShared('PocketBase importer');
const targets = await dialectTargets('PocketBase importer');

describe('convertValue', () => {
  it.each([
    [1, 'bool', true], ['true', 'bool', true], [0, 'bool', false],
    ['12.5', 'number', 12.5], ['x', 'number', 0], [null, 'number', 0],
    ['[1]', 'json', '[1]'], ['plain', 'json', '"plain"'], [Buffer.from('{"a":1}'), 'json', '{"a":1}'],
    [42, 'text', '42'], [null, 'text', ''],
  ] as const)('%s as %s → %s', (value, kind, expected) => {
    expect(convertValue(value, kind, true)).toEqual(expected);
  });
});

for (const target of targets) {
  describe.skipIf(!hasShared || !target.open)(`importStore into ${target.name}`, () => {
    let dir: string;
    let source: SqliteDb;
    let handle: TestDb;
    let db: Db;
    const q = (n: string) => db.dialect.quote(n);
    const count = async (d: Db, table: string) => Number((await d.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${d.dialect.quote(table)}`))?.n);

    beforeAll(async () => {
      if (!target.open) return;
      dir = copyFixture();
      source = new SqliteDb(join(dir, 'data.db'));
      handle = await target.open();
      db = handle.db;
    });
    afterAll(async () => {
      await source?.close();
      await handle?.dispose();
      if (dir) removeDir(dir);
    });

    it('copies collections, records, system collections and settings, keeping ids, hashes and token keys', async () => {
      const progress: string[] = [];
      const report = await importStore(source, db, { onProgress: (p) => progress.push(`${p.collection} ${p.copied}/${p.total}`) });
      expect(report.warnings).toEqual([]);
      expect(report.resumed).toBe(false);
      expect(progress).toContain('users 3/3');
      const collections = await source.all<{ name: string; type: string }>('SELECT name, type FROM _collections');
      expect(report.collections).toBe(collections.length);
      for (const c of collections) expect([c.name, await count(db, c.name)]).toEqual([c.name, await count(source, c.name)]);
      const cols = `${q('id')}, ${q('password')}, ${q('tokenKey')}, ${q('email')}`;
      const users = async (d: Db) => d.all(`SELECT ${cols} FROM ${d.dialect.quote('users')} ORDER BY ${d.dialect.quote('id')}`);
      expect(await users(db)).toEqual(await users(source));
      const settings = await db.get<{ value: string }>(`SELECT ${q('value')} FROM ${q('_params')} WHERE id = 'settings'`);
      expect(JSON.parse(String(settings?.value))).toMatchObject({ meta: expect.any(Object) });
      expect(await db.get(`SELECT id FROM ${q('_params')} WHERE id = ?`, [IMPORT_MARKER])).toBeUndefined();
    });

    it('refuses a non-empty target, and replaces it with force', async () => {
      await expect(importStore(source, db)).rejects.toBeInstanceOf(ImportRefusedError);
      const report = await importStore(source, db, { force: true });
      expect(report.records).toBeGreaterThan(0);
      expect(await count(db, 'demo1')).toBe(await count(source, 'demo1'));
    });

    it('resumes an interrupted import, skipping rows already copied', async () => {
      const ids = (await db.all<{ id: string }>(`SELECT id FROM ${q('demo1')} ORDER BY id`)).map((r) => r.id);
      await db.run(`DELETE FROM ${q('demo1')} WHERE id = ?`, [ids[0] ?? '']);
      await db.run(`INSERT INTO ${q('_params')} (id, value, created, updated) VALUES (?, ?, ?, ?)`, [IMPORT_MARKER, '{"status":"running"}', '', '']);
      const report = await importStore(source, db);
      expect(report.resumed).toBe(true);
      expect(await count(db, 'demo1')).toBe(ids.length);
    });
  });
}

describe('plinth import (CLI)', () => {
  it('requires a data dir and --db', async () => {
    const err = console.error;
    const lines: string[] = [];
    console.error = (line: string) => lines.push(line);
    try {
      expect(await main(['import'])).toBe(2);
      expect(await main(['import', '/nonexistent', '--db=postgres://x@127.0.0.1:1/db'])).toBe(1);
    } finally {
      console.error = err;
    }
    expect(lines[0]).toMatch(/expected exactly one data directory/);
    expect(lines[1]).toMatch(/data\.db not found/);
  });
});
