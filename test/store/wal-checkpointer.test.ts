import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteDb } from '../../src/store/sqlite/sqlite-db.js';
import { WalCheckpointer } from '../../src/store/sqlite/wal-checkpointer.js';

/** The rows of `t` in the database file alone, i.e. what has been checkpointed out of the WAL. */
function rowsInMainFile(dir: string): number {
  const copy = join(dir, 'copy.db');
  copyFileSync(join(dir, 'data.db'), copy);
  const db = new Database(copy, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n;
  } finally {
    db.close();
    rmSync(copy, { force: true });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('WAL checkpoints off the event loop', () => {
  let dir: string;
  let db: SqliteDb;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'plinth-wal-'));
    db = new SqliteDb(join(dir, 'data.db'));
    await db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    await db.checkpoint();
  });

  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves commits in the WAL until the worker copies them, within moments', async () => {
    // ~1,500 pages: SQLite's own checkpoint (every 1,000) would run inside this commit
    await db.run('INSERT INTO t (v) VALUES (?)', ['x'.repeat(6 << 20)]);
    for (let i = 1; i < 50; i++) await db.run('INSERT INTO t (v) VALUES (?)', [`row ${i}`]);
    // no macrotask ran since the first commit, so the worker has not been asked yet
    expect(rowsInMainFile(dir)).toBe(0);
    // polled: a copy taken while the worker writes the file may be torn, and then reads as not yet
    const copied = (): number => {
      try {
        return rowsInMainFile(dir);
      } catch {
        return -1;
      }
    };
    const deadline = Date.now() + 5000;
    while (copied() !== 50 && Date.now() < deadline) await sleep(20);
    expect(copied()).toBe(50);
  });

  it('checkpoints transactions and exec too, and on demand', async () => {
    await db.transaction(async (tx) => {
      await tx.run('INSERT INTO t (v) VALUES (?)', ['a']);
      await tx.run('INSERT INTO t (v) VALUES (?)', ['b']);
    });
    await db.exec("INSERT INTO t (v) VALUES ('c')");
    await db.checkpoint();
    expect(rowsInMainFile(dir)).toBe(3);
    expect(await db.all('SELECT v FROM t ORDER BY id')).toEqual([{ v: 'a' }, { v: 'b' }, { v: 'c' }]);
  });

  // Regression: checkpoints that raced the writer never copied the last frames, so the WAL never
  // started over and grew with every write (855 MB after 10 s of the benchmark's creates).
  it('starts the WAL over under sustained writes instead of growing it', async () => {
    const row = 'x'.repeat(4000);
    let written = 0;
    const end = Date.now() + 1200;
    while (Date.now() < end) {
      for (let i = 0; i < 20; i++) await db.run('INSERT INTO t (v) VALUES (?)', [row]);
      written += 20 * row.length;
      await sleep(2); // lets the checkpoint timer and the worker's answers in
    }
    const wal = statSync(join(dir, 'data.db-wal')).size;
    expect(written).toBeGreaterThan(4 << 20);
    expect(wal).toBeLessThan(written / 2);
  });

  it('keeps every write of a burst while checkpoints run under it', async () => {
    await Promise.all(Array.from({ length: 400 }, (_, i) => db.run('INSERT INTO t (v) VALUES (?)', [`r${i}`])));
    await db.checkpoint();
    expect(rowsInMainFile(dir)).toBe(400);
  });
});

describe('WalCheckpointer', () => {
  it('starts no worker for a quiet store\'s few small commits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plinth-wal-'));
    const db = new SqliteDb(join(dir, 'data.db'));
    try {
      await db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
      for (let i = 0; i < 20; i++) await db.run('INSERT INTO t (v) VALUES (?)', [`row ${i}`]);
      await sleep(250);
      expect(db.checkpointRunning).toBe(false);
      for (let i = 0; i < 100; i++) await db.run('INSERT INTO t (v) VALUES (?)', [`row ${i}`]);
      await sleep(250);
      expect(db.checkpointRunning).toBe(true);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops its worker when idle and starts it again on the next write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plinth-wal-'));
    const file = join(dir, 'data.db');
    const setup = new Database(file);
    setup.pragma('journal_mode = WAL');
    setup.pragma('wal_autocheckpoint = 0');
    setup.exec('CREATE TABLE t (id INTEGER PRIMARY KEY)');
    const checkpointer = new WalCheckpointer(file, () => undefined, { delayMs: 5, idleStopMs: 50, minCommits: 1 });
    try {
      checkpointer.wrote();
      await checkpointer.flush();
      expect(checkpointer.running).toBe(true);
      await sleep(200);
      expect(checkpointer.running).toBe(false);
      setup.exec('INSERT INTO t DEFAULT VALUES');
      checkpointer.wrote();
      await sleep(40);
      expect(checkpointer.running).toBe(true);
    } finally {
      await checkpointer.close();
      setup.close();
      rmSync(dir, { recursive: true, force: true });
    }
    expect(checkpointer.running).toBe(false);
  });

  // Without its worker the WAL would grow for ever: the store must get its automatic checkpoint back.
  it('reports a worker that cannot open the file, once, and never hangs a flush', async () => {
    const failures: Error[] = [];
    const checkpointer = new WalCheckpointer(join(tmpdir(), 'plinth-no-such-dir', 'x', 'data.db'), (err) => failures.push(err));
    checkpointer.wrote();
    await checkpointer.flush();
    checkpointer.wrote();
    await checkpointer.flush();
    await checkpointer.close();
    expect(failures).toHaveLength(1);
    expect(failures[0]?.message).toMatch(/directory does not exist|unable to open/);
  });
});
