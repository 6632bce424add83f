/**
 * Regression: the metrics wrapper around the Db was a Proxy that built a new async closure on
 * every property read, i.e. on every query (docs/performance.md). It is now a class: same results,
 * same errors, one observation per call.
 */
import { describe, expect, it } from 'vitest';
import { InstrumentedDb, instrumentDb } from '../../src/store/instrumented-db.js';
import { SqliteDb } from '../../src/store/sqlite/sqlite-db.js';

describe('InstrumentedDb (regression: a Proxy with a closure per call)', () => {
  it('forwards every call and reports one observation per call, failures included', async () => {
    const seen: Array<[string, boolean]> = [];
    const inner = new SqliteDb(':memory:');
    const db = instrumentDb(inner, (op, seconds, failed) => {
      expect(seconds).toBeGreaterThanOrEqual(0);
      seen.push([op, failed]);
    });
    try {
      expect(db).toBeInstanceOf(InstrumentedDb);
      expect(db.dialect).toBe(inner.dialect);
      expect(db.all).toBe(instrumentDb(inner, () => undefined).all); // methods live on the prototype
      await db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
      expect((await db.run('INSERT INTO t (v) VALUES (?)', ['a'])).changes).toBe(1);
      expect(await db.get('SELECT v FROM t WHERE id = ?', [1])).toEqual({ v: 'a' });
      expect(await db.all('SELECT v FROM t')).toEqual([{ v: 'a' }]);
      await db.transaction(async (tx) => {
        await tx.run('INSERT INTO t (v) VALUES (?)', ['b']);
      });
      await expect(db.all('SELECT nope FROM t')).rejects.toThrow(/nope/);
      await expect(db.transaction(async () => {
        throw new Error('rolled back');
      })).rejects.toThrow('rolled back');
      expect(seen).toEqual([
        ['exec', false], ['run', false], ['get', false], ['all', false], ['transaction', false], ['all', true], ['transaction', true],
      ]);
    } finally {
      await db.close();
    }
  });
});
