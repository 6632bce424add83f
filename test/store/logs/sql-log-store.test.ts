import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newLogId, type LogEntry } from '../../../src/core/logs/log-service.js';
import { SqlLogStore, WORKER_MIN_BATCH } from '../../../src/store/logs/sql-log-store.js';
import { SqliteDb } from '../../../src/store/sqlite/sqlite-db.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function openStore(): Promise<SqlLogStore> {
  const dir = mkdtempSync(join(tmpdir(), 'plinth-logs-'));
  dirs.push(dir);
  const file = join(dir, 'auxiliary.db');
  return SqlLogStore.open(new SqliteDb(file), true, file);
}

function entries(count: number, tag: string): LogEntry[] {
  const created = new Date().toISOString().replace('T', ' ');
  return Array.from({ length: count }, (_, i) => ({
    id: newLogId(), created, updated: created, level: 0, message: `GET /api/${tag}/${i}`, data: { type: 'request', status: 200, i },
  }));
}

const query = { filter: '', sort: '', page: 1, perPage: 500, skipTotal: false };

describe('SqlLogStore on SQLite', () => {
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
