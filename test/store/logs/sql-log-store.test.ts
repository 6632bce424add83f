import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { newLogId, type LogEntry } from '../../../src/core/logs/log-service.js';
import { SqlLogStore, WORKER_MIN_BATCH } from '../../../src/store/logs/sql-log-store.js';
import { openDb } from '../../../src/store/open-db.js';
import { SqliteDb } from '../../../src/store/sqlite/sqlite-db.js';
import { closeTestDatabaseAdmins, createEmptyDatabase, testDialects, type TestDialect } from '../../helpers/test-databases.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function newLogFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'plinth-logs-'));
  dirs.push(dir);
  return join(dir, 'auxiliary.db');
}

async function openStore(file = newLogFile()): Promise<SqlLogStore> {
  return SqlLogStore.open(new SqliteDb(file), true, file);
}

async function logIndexes(file: string): Promise<string[]> {
  const db = new SqliteDb(file);
  const rows = await db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = '_logs' AND sql IS NOT NULL ORDER BY name");
  await db.close();
  return rows.map((r) => r.name);
}

function entries(count: number, tag: string): LogEntry[] {
  const created = new Date().toISOString().replace('T', ' ');
  return Array.from({ length: count }, (_, i) => ({
    id: newLogId(), created, updated: created, level: 0, message: `GET /api/${tag}/${i}`, data: { type: 'request', status: 200, i },
  }));
}

const query = { filter: '', sort: '', page: 1, perPage: 500, skipTotal: false };

describe('SqlLogStore on SQLite', () => {
  it('creates no message index in a new log file (a random key per request, no query uses it)', async () => {
    const file = newLogFile();
    await (await openStore(file)).close();
    expect(await logIndexes(file)).toEqual(['idx_logs_created_hour', 'idx_logs_level']);
  });

  it('keeps the message index of a PocketBase log file', async () => {
    const file = newLogFile();
    const db = new SqliteDb(file);
    await db.exec("CREATE TABLE `_logs` (`id` TEXT PRIMARY KEY NOT NULL, `level` INTEGER DEFAULT 0 NOT NULL, `message` TEXT DEFAULT '' NOT NULL, `data` JSON DEFAULT '{}' NOT NULL, `created` TEXT NOT NULL, `updated` TEXT NOT NULL)");
    await db.exec('CREATE INDEX idx_logs_message on `_logs` (`message`)');
    await db.close();
    const store = await openStore(file);
    await store.insert(entries(3, 'pb'));
    expect((await store.list({ ...query, filter: "message = 'GET /api/pb/1'" })).totalItems).toBe(1);
    await store.close();
    expect(await logIndexes(file)).toEqual(['idx_logs_created_hour', 'idx_logs_level', 'idx_logs_message']);
  });

  it('writes small batches on the event loop and starts the worker only for a large one', async () => {
    const store = await openStore();
    await store.insert(entries(3, 'small'));
    expect(store.workerStarted).toBe(false);
    await store.insert(entries(WORKER_MIN_BATCH, 'large'));
    expect(store.workerStarted).toBe(true);
    await store.insert(entries(2, 'after'));

    const { items, totalItems } = await store.list(query);
    expect(totalItems).toBe(3 + WORKER_MIN_BATCH + 2);
    const large = items.find((e) => e.message === 'GET /api/large/7');
    expect(large?.data).toEqual({ type: 'request', status: 200, i: 7 });
    await store.close();
  });

  it('stores every row of a worker batch that is not a multiple of the rows per INSERT', async () => {
    const store = await openStore();
    const batch = entries(2 * WORKER_MIN_BATCH + 17, 'multi');
    await store.insert(batch);
    const { items, totalItems } = await store.list(query);
    expect(totalItems).toBe(batch.length);
    expect(new Set(items.map((e) => e.id))).toEqual(new Set(batch.map((e) => e.id)));
    const last = items.find((e) => e.id === batch[batch.length - 1]?.id);
    expect(last).toMatchObject({ level: 0, message: `GET /api/multi/${batch.length - 1}`, data: { i: batch.length - 1 } });
    await store.close();
  });

  it('reports a failed worker batch and keeps the rows already stored', async () => {
    const store = await openStore();
    const batch = entries(WORKER_MIN_BATCH, 'dup');
    await store.insert(batch);
    // the same ids again: the primary key rejects the batch, in one transaction
    await expect(store.insert(batch)).rejects.toThrow(/UNIQUE/);
    expect((await store.list(query)).totalItems).toBe(WORKER_MIN_BATCH);
    await store.close();
  });
});

const DIALECTS = await testDialects('log stats');
afterAll(() => closeTestDatabaseAdmins());

/** A log store on `dialect`: SQLite's own file, or `_logs` in a fresh PostgreSQL/MySQL database. */
async function storeOn(dialect: TestDialect): Promise<{ store: SqlLogStore; drop: () => Promise<void> }> {
  if (dialect === 'sqlite') return { store: await openStore(), drop: async () => undefined };
  const database = await createEmptyDatabase(dialect);
  return { store: await SqlLogStore.open(await openDb(database.url), true), drop: () => database.drop() };
}

function at(created: string, message: string): LogEntry {
  return { id: newLogId(), created, updated: created, level: 0, message, data: { type: 'request', status: 200 } };
}

describe.each(DIALECTS)('SqlLogStore stats (%s)', (dialect) => {
  it('buckets by hour (PocketBase) or by minute (the admin chart), with the filter applied', async () => {
    const { store, drop } = await storeOn(dialect);
    try {
      await store.insert([
        at('2026-12-07 10:01:05.000Z', 'GET /a'),
        at('2026-12-07 10:01:59.999Z', 'GET /a'),
        at('2026-12-07 10:02:00.000Z', 'GET /a'),
        at('2026-12-07 11:30:00.000Z', 'GET /a'),
        at('2026-12-07 10:01:30.000Z', 'GET /b'),
      ]);
      expect(await store.stats("message = 'GET /a'")).toEqual([
        { date: '2026-12-07 10:00:00.000Z', total: 3 },
        { date: '2026-12-07 11:00:00.000Z', total: 1 },
      ]);
      expect(await store.stats("message = 'GET /a'", 'minute')).toEqual([
        { date: '2026-12-07 10:01:00.000Z', total: 2 },
        { date: '2026-12-07 10:02:00.000Z', total: 1 },
        { date: '2026-12-07 11:30:00.000Z', total: 1 },
      ]);
      expect(await store.stats('', 'minute')).toContainEqual({ date: '2026-12-07 10:01:00.000Z', total: 3 });
    } finally {
      await store.close();
      await drop();
    }
  });
});
