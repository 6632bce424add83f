import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/store/db.js';
import { dialectTargets, type TestDb } from './dialect-fixture.js';

const targets = await dialectTargets('Db contract dialect matrix');

for (const target of targets) {
  describe.skipIf(!target.open)(`Db contract on ${target.name}`, () => {
    let handle: TestDb;
    let db: Db;
    const q = (id: string) => db.dialect.quote(id);
    const spec = (kind: 'text' | 'number' | 'bool', defaultValue: string | number | boolean) =>
      db.dialect.columnDefinition({ kind, notNull: true, defaultValue, primaryKey: false });

    beforeAll(async () => {
      if (!target.open) return;
      handle = await target.open();
      db = handle.db;
      const id = db.dialect.columnDefinition({ kind: 'text', notNull: true, defaultValue: null, primaryKey: true });
      await db.exec(`CREATE TABLE ${q('items')} (${q('id')} ${id}, ${q('name')} ${spec('text', '')});
        CREATE TABLE ${q('counters')} (${q('id')} ${id}, ${q('n')} ${spec('number', 0)});
        CREATE TABLE ${q('vals')} (${q('id')} ${id}, ${q('flag')} ${spec('bool', false)}, ${q('num')} ${spec('number', 0)})`);
      await db.run(`INSERT INTO ${q('counters')} (${q('id')}, ${q('n')}) VALUES (?, ?)`, ['c', 0]);
    });
    afterAll(async () => {
      await handle?.dispose();
    });

    const names = async () =>
      (await db.all<{ name: string }>(`SELECT ${q('name')} AS name FROM ${q('items')} ORDER BY ${q('name')}`)).map((r) => r.name);
    const insert = (tx: Db, id: string) => tx.run(`INSERT INTO ${q('items')} (${q('id')}, ${q('name')}) VALUES (?, ?)`, [id, id]);

    it('commits a transaction and returns its result', async () => {
      const result = await db.transaction(async (tx) => {
        await insert(tx, 'a');
        return (await tx.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${q('items')}`))?.n;
      });
      expect(result).toBe(1);
      expect(await names()).toEqual(['a']);
    });

    it('rolls back when the callback throws', async () => {
      await expect(db.transaction(async (tx) => {
        await insert(tx, 'b');
        throw new Error('boom');
      })).rejects.toThrow('boom');
      expect(await names()).toEqual(['a']);
    });

    it('rolls a nested transaction back to its savepoint only', async () => {
      await db.transaction(async (tx) => {
        await insert(tx, 'c');
        await expect(tx.transaction(async (inner) => {
          await insert(inner, 'd');
          await inner.transaction(async (deepest) => insert(deepest, 'e'));
          throw new Error('inner');
        })).rejects.toThrow('inner');
        await tx.transaction(async (inner) => insert(inner, 'f'));
      });
      expect(await names()).toEqual(['a', 'c', 'f']);
    });

    it('rolls back after a failed statement inside the transaction', async () => {
      await expect(db.transaction(async (tx) => {
        await insert(tx, 'g');
        await insert(tx, 'a');
      })).rejects.toThrow();
      expect(await names()).toEqual(['a', 'c', 'f']);
    });

    it('does not lose increments of concurrent transactions', async () => {
      const bump = `UPDATE ${q('counters')} SET ${q('n')} = ${q('n')} + 1 WHERE ${q('id')} = ?`;
      await Promise.all(Array.from({ length: 25 }, () => db.transaction(async (tx) => {
        await tx.run(bump, ['c']);
        await tx.get(`SELECT ${q('n')} FROM ${q('counters')} WHERE ${q('id')} = ?`, ['c']);
      })));
      await Promise.all(Array.from({ length: 25 }, () => db.run(bump, ['c'])));
      expect((await db.get<{ n: number }>(`SELECT ${q('n')} AS n FROM ${q('counters')}`))?.n).toBe(50);
    });

    it('round-trips booleans (as 1/0, like SQLite) and numbers (as JS numbers)', async () => {
      const rows: [string, boolean, number][] = [['t', true, 1.5], ['f', false, -3], ['big', true, 2 ** 40], ['zero', false, 0]];
      for (const [id, flag, num] of rows) {
        await db.run(`INSERT INTO ${q('vals')} (${q('id')}, ${q('flag')}, ${q('num')}) VALUES (?, ?, ?)`, [id, flag, num]);
      }
      const back = await db.all<{ id: string; flag: unknown; num: unknown }>(
        `SELECT ${q('id')} AS id, ${q('flag')} AS flag, ${q('num')} AS num FROM ${q('vals')} ORDER BY ${q('id')}`);
      expect(back).toEqual([
        { id: 'big', flag: 1, num: 2 ** 40 }, { id: 'f', flag: 0, num: -3 }, { id: 't', flag: 1, num: 1.5 }, { id: 'zero', flag: 0, num: 0 },
      ]);
      const agg = await db.get(`SELECT COUNT(*) AS n, SUM(${q('num')}) AS total FROM ${q('vals')} WHERE ${q('flag')} = ?`, [true]);
      expect(agg).toEqual({ n: 2, total: 2 ** 40 + 1.5 });
    });

    it('counts matched rows in run(), get() is undefined without a row', async () => {
      const sql = `UPDATE ${q('items')} SET ${q('name')} = ${q('name')} WHERE ${q('id')} IN (?, ?)`;
      expect(await db.run(sql, ['a', 'c'])).toEqual({ changes: 2 });
      expect(await db.get(`SELECT 1 AS x FROM ${q('items')} WHERE ${q('id')} = ?`, ['nope'])).toBeUndefined();
    });

    it('leaves ? inside quoted text alone and binds the rest in order', async () => {
      const rows = await db.all<{ name: string; mark: string }>(
        `SELECT ${q('name')} AS name, '?' AS mark FROM ${q('items')} WHERE ${q('id')} = ? OR ${q('name')} = ? ORDER BY ${q('name')}`,
        ['a', 'f'],
      );
      expect(rows).toEqual([{ name: 'a', mark: '?' }, { name: 'f', mark: '?' }]);
    });

    it('runs scripts with exec, also inside a transaction', async () => {
      await db.transaction(async (tx) => {
        await tx.exec(`INSERT INTO ${q('items')} (${q('id')}, ${q('name')}) VALUES ('s1', 'x;y'); INSERT INTO ${q('items')} (${q('id')}, ${q('name')}) VALUES ('s2', 'z')`);
      });
      expect(await names()).toEqual(['a', 'c', 'f', 'x;y', 'z']);
    });

    it('lists its tables and columns', async () => {
      const tables = (await db.all<{ name: string }>(db.dialect.listTablesSql())).map((r) => r.name).sort();
      expect(tables).toEqual(expect.arrayContaining(['counters', 'items', 'vals']));
      const cols = (await db.all<{ name: string }>(db.dialect.tableColumnsSql('vals'))).map((r) => r.name);
      expect(cols).toEqual(['id', 'flag', 'num']);
    });
  });
}
