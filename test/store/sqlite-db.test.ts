import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteDb } from '../../src/store/sqlite/sqlite-db.js';

describe('SqliteDb', () => {
  let dir: string;
  let db: SqliteDb;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'plinth-sqlite-'));
    db = new SqliteDb(join(dir, 'data.db'));
    await db.exec('CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER NOT NULL)');
  });

  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits a transaction and rolls one back when it throws', async () => {
    await db.transaction(async (tx) => {
      await tx.run('INSERT INTO t VALUES (?, ?)', ['a', 1]);
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.run('INSERT INTO t VALUES (?, ?)', ['b', 2]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.all('SELECT id FROM t ORDER BY id')).toEqual([{ id: 'a' }]);
  });

  it('rolls back only the inner savepoint of a nested transaction', async () => {
    await db.transaction(async (tx) => {
      await tx.run('INSERT INTO t VALUES (?, ?)', ['outer', 1]);
      await tx
        .transaction(async (inner) => {
          await inner.run('INSERT INTO t VALUES (?, ?)', ['inner', 2]);
          throw new Error('inner fails');
        })
        .catch(() => undefined);
    });
    expect(await db.all('SELECT id FROM t')).toEqual([{ id: 'outer' }]);
  });

  it('never lets a read outside a transaction see its uncommitted writes', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const writing = db.transaction(async (tx) => {
      await tx.run('INSERT INTO t VALUES (?, ?)', ['pending', 1]);
      await gate;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(await db.get('SELECT count(*) AS c FROM t')).toEqual({ c: 0 });
    release();
    await writing;
    expect(await db.get('SELECT count(*) AS c FROM t')).toEqual({ c: 1 });
  });

  // Reads run on the write connection while it is idle (its page cache stays warm): they must
  // move to the read connection for as long as any write is running or waiting.
  it('keeps reads off the write connection while a write is open or queued', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = db.transaction(async (tx) => {
      await tx.run('INSERT INTO t VALUES (?, ?)', ['first', 1]);
      await gate;
    });
    const second = db.transaction(async (tx) => {
      await tx.run('INSERT INTO t VALUES (?, ?)', ['second', 2]);
      await new Promise((resolve) => setImmediate(resolve));
    });
    const seen: number[] = [];
    const count = async () => seen.push(((await db.get<{ c: number }>('SELECT count(*) AS c FROM t'))?.c ?? -1));
    await new Promise((resolve) => setImmediate(resolve));
    await count();
    release();
    await first;
    await count(); // the second transaction is open now, waiting on its setImmediate
    await second;
    await count();
    expect(seen).toEqual([0, 1, 2]);
  });

  it('reads its own committed writes at once, on either connection', async () => {
    for (let i = 0; i < 20; i++) {
      await db.run('INSERT INTO t VALUES (?, ?)', [`r${i}`, i]);
      expect(await db.get('SELECT n FROM t WHERE id = ?', [`r${i}`])).toEqual({ n: i });
    }
  });

  // Regression: concurrent read-modify-write transactions must be serialised, or increments are lost.
  it('serialises concurrent transactions so no increment is lost', async () => {
    await db.run('INSERT INTO t VALUES (?, ?)', ['counter', 0]);
    await Promise.all(
      Array.from({ length: 50 }, () =>
        db.transaction(async (tx) => {
          const row = await tx.get<{ n: number }>('SELECT n FROM t WHERE id = ?', ['counter']);
          await new Promise((resolve) => setImmediate(resolve));
          await tx.run('UPDATE t SET n = ? WHERE id = ?', [(row?.n ?? 0) + 1, 'counter']);
        }),
      ),
    );
    expect(await db.get('SELECT n FROM t WHERE id = ?', ['counter'])).toEqual({ n: 50 });
  });

  it('binds booleans as integers and sees new columns after DDL', async () => {
    await db.run('INSERT INTO t VALUES (?, ?)', ['x', true]);
    expect(await db.get('SELECT * FROM t WHERE id = ?', ['x'])).toEqual({ id: 'x', n: 1 });
    await db.exec("ALTER TABLE t ADD COLUMN label TEXT DEFAULT ''");
    expect(await db.get('SELECT * FROM t WHERE id = ?', ['x'])).toEqual({ id: 'x', n: 1, label: '' });
  });

  // Rows are read as arrays and built by a function compiled per statement (sqlite-rows.ts):
  // they must be the objects the driver's default mode gives, edge cases included.
  it('returns rows as plain objects keyed by column, as the driver does', async () => {
    await db.run('INSERT INTO t VALUES (?, ?)', ['a', 1]);
    await db.run('INSERT INTO t VALUES (?, ?)', ['b', 2]);
    expect(await db.all('SELECT id, n FROM t ORDER BY id')).toEqual([{ id: 'a', n: 1 }, { id: 'b', n: 2 }]);
    // a repeated name keeps its first position and its last value
    const repeated = await db.get<Record<string, unknown>>('SELECT id AS x, n, n * 10 AS x FROM t WHERE id = ?', ['b']);
    expect(Object.entries(repeated ?? {})).toEqual([['x', 20], ['n', 2]]);
    // a column named __proto__ is an own property, never the prototype
    const odd = await db.get<Record<string, unknown>>('SELECT id AS "__proto__", n AS "a""b", n AS "" FROM t WHERE id = ?', ['a']);
    expect(Object.getPrototypeOf(odd)).toBe(Object.prototype);
    expect(Object.entries(odd ?? {})).toEqual([['__proto__', 'a'], ['a"b', 1], ['', 1]]);
    expect(await db.all('SELECT id FROM t WHERE id = ?', ['none'])).toEqual([]);
  });

  it('rejects all() and get() of a statement that returns no data, with the driver\'s message', async () => {
    await expect(db.all('DELETE FROM t')).rejects.toThrow(/does not return data/);
    await expect(db.get('UPDATE t SET n = 1')).rejects.toThrow(/does not return data/);
  });

  // Regression: a cached `SELECT *` whose row builder predates a column added by another
  // connection (the SQL console has its own) must not drop or misplace the new column.
  it('sees a column another connection added to a table it has read before', async () => {
    await db.run('INSERT INTO t VALUES (?, ?)', ['x', 1]);
    expect(await db.all('SELECT * FROM t')).toEqual([{ id: 'x', n: 1 }]);
    expect(await db.get('SELECT * FROM t WHERE id = ?', ['x'])).toEqual({ id: 'x', n: 1 });
    const other = new Database(join(dir, 'data.db'));
    other.exec("ALTER TABLE t ADD COLUMN label TEXT DEFAULT 'l'");
    other.close();
    expect(await db.all('SELECT * FROM t')).toEqual([{ id: 'x', n: 1, label: 'l' }]);
    expect(await db.get('SELECT * FROM t WHERE id = ?', ['x'])).toEqual({ id: 'x', n: 1, label: 'l' });
  });
});
