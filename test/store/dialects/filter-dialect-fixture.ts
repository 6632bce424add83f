import type { Db } from '../../../src/store/db.js';
import { compileFilter, compileSort } from '../../../src/store/filter/index.js';
import { SqliteDb } from '../../../src/store/sqlite/sqlite-db.js';
import { ALL, context, posts, ROWS, type QueryOptions } from '../filter/filter-fixture.js';
import { createTableSql, insertRows } from './dialect-fixture.js';

/** Builds the fixture tables (column types from the dialect) and rows of test/store/filter/filter-fixture.ts. */
export async function loadFilterFixture(db: Db): Promise<void> {
  for (const c of ALL) await db.exec(createTableSql(db.dialect, c));
  for (const [table, rows] of Object.entries(ROWS)) await insertRows(db, table, rows);
}

/** An in-memory SQLite database with the fixture loaded (for the SQLite-only compiler tests). */
export async function createFixtureDb(): Promise<SqliteDb> {
  const db = new SqliteDb(':memory:');
  await loadFilterFixture(db);
  return db;
}

/** Runs a filter (and optional sort) and returns the matching ids (by id unless `sort`). */
export async function queryIds(db: Db, filter: string, options: QueryOptions = {}): Promise<string[]> {
  const ctx = context(options, db.dialect);
  const q = (id: string) => db.dialect.quote(id);
  const where = compileFilter(filter, ctx);
  const order = options.sort ? compileSort(options.sort, ctx) : { sql: '', params: [] };
  const table = (options.collection ?? posts).name;
  const rows = await db.all<{ id: string }>(
    `SELECT ${q('r')}.${q('id')} AS id FROM ${q(table)} ${q('r')} WHERE ${where.sql} ORDER BY ${order.sql || `${q('r')}.${q('id')}`}`,
    [...where.params, ...order.params],
  );
  return rows.map((r) => r.id);
}
