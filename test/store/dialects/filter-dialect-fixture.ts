import type { CollectionModel } from '../../../src/core/collections/collection-model.js';
import { guestRequest, type RequestInfo } from '../../../src/core/request-info.js';
import type { Db } from '../../../src/store/db.js';
import { compileFilter, compileSort, type FilterContext } from '../../../src/store/filter/index.js';
import { ALL, NOW, posts } from '../filter/filter-fixture.js';
import { createTableSql, insertRows } from './dialect-fixture.js';

const j = (v: unknown): string => JSON.stringify(v);

/** The rows of test/store/filter/filter-fixture.ts, on every dialect. */
export const ROWS: Record<string, Record<string, unknown>[]> = {
  users: [
    { id: 'u1', email: 'alice@x.com', emailVisibility: 1, verified: 1, password: 'hash1', tokenKey: 'k1', name: 'Alice', manager: 'u2' },
    { id: 'u2', email: 'bob@x.com', emailVisibility: 0, verified: 0, password: 'hash2', tokenKey: 'k2', name: 'Bob', manager: '' },
  ],
  tags: [{ id: 't1', name: 'red' }, { id: 't2', name: 'blue' }],
  locked: [{ id: 'l1', name: 'secret' }],
  posts: [
    { id: 'p1', title: 'Hello World', views: 10, active: 1, email: 'p1@x.com', status: 'draft', labels: j(['a', 'b']), author: 'u1',
      tags: j(['t1', 't2']), meta: j({ a: { b: 1 }, arr: [5, 6] }), location: j({ lon: 23.3219, lat: 42.6977 }),
      published: '2024-01-15 10:00:00.000Z', created: '2024-01-15 10:00:00.000Z', secret: 's1', files: j(['f1.png', 'f2.png']), cover: 'c.png', lock: 'l1' },
    { id: 'p2', title: 'Second post', views: 20, active: 0, status: 'published', labels: j(['b']), author: 'u2', tags: j(['t2']),
      meta: j({ a: { b: 2 } }), location: j({ lon: -0.1276, lat: 51.5072 }), published: '2023-06-01 08:30:00.000Z',
      created: '2023-06-01 08:30:00.000Z', secret: 's2', files: j([]) },
    { id: 'p3', title: '100%_done', views: 0, active: 0, status: '', labels: j([]), author: '', tags: j([]), meta: null,
      published: '', created: '2022-01-01 00:00:00.000Z' },
    { id: 'p4', title: '', views: 5, active: 1, status: 'published', labels: j(['a']), author: 'u1', tags: j(['t1', 'tX']),
      meta: j([1, 2]), location: j({ lon: 23.33, lat: 42.7 }), published: '2024-02-29 23:59:59.999Z', created: '2024-02-29 00:00:00.000Z' },
  ],
  comments: [
    { id: 'c1', post: 'p1', message: 'nice', author: 'u2' },
    { id: 'c2', post: 'p1', message: 'meh', author: 'u1' },
    { id: 'c3', post: 'p2', message: 'nice', author: 'u1' },
  ],
  profiles: [{ id: 'pr1', user: 'u1', bio: 'first' }],
};

/** Builds the fixture tables (column types from the dialect) and rows. */
export async function loadFilterFixture(db: Db): Promise<void> {
  for (const c of ALL) await db.exec(createTableSql(db.dialect, c));
  for (const [table, rows] of Object.entries(ROWS)) await insertRows(db, table, rows);
}

export interface QueryOptions {
  collection?: CollectionModel;
  request?: RequestInfo | null;
  allowHiddenFields?: boolean;
  sort?: string;
  collections?: CollectionModel[];
}

/** The compiler context of the fixture for a dialect. */
export function dialectContext(db: Db, options: QueryOptions = {}): FilterContext {
  const list = options.collections ?? ALL;
  return {
    dialect: db.dialect,
    collection: options.collection ?? posts,
    findCollection: (nameOrId) => list.find((c) => c.name === nameOrId || c.id === nameOrId),
    tableAlias: 'r',
    request: options.request === undefined ? guestRequest() : options.request,
    allowHiddenFields: options.allowHiddenFields ?? true,
    now: NOW,
  };
}

/** Runs a filter (and optional sort) and returns the matching ids (by id unless `sort`). */
export async function queryIds(db: Db, filter: string, options: QueryOptions = {}): Promise<string[]> {
  const ctx = dialectContext(db, options);
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
