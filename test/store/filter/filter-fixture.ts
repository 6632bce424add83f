import type { CollectionModel, FieldModel } from '../../../src/core/collections/collection-model.js';
import { guestRequest, type RequestInfo } from '../../../src/core/request-info.js';
import { SqliteDb } from '../../../src/store/sqlite/sqlite-db.js';
import { sqliteDialect } from '../../../src/store/sqlite/sqlite-dialect.js';
import { compileFilter, compileSort, type FilterContext } from '../../../src/store/filter/index.js';

const f = (name: string, type: string, extra: Partial<FieldModel> = {}): FieldModel =>
  ({ id: `f_${name}`, name, type, system: false, hidden: false, presentable: false, ...extra });

const collection = (id: string, name: string, type: CollectionModel['type'], fields: FieldModel[], extra: Partial<CollectionModel> = {}): CollectionModel => ({
  id, name, type, system: false, fields: [f('id', 'text', { system: true }), ...fields], indexes: [],
  listRule: '', viewRule: '', createRule: null, updateRule: null, deleteRule: null, options: {},
  created: '', updated: '', ...extra,
});

export const users = collection('_pb_users_', 'users', 'auth', [
  f('email', 'email', { system: true }), f('emailVisibility', 'bool', { system: true }), f('verified', 'bool', { system: true }),
  f('password', 'password', { system: true, hidden: true }), f('tokenKey', 'text', { system: true, hidden: true }),
  f('name', 'text'), f('manager', 'relation', { collectionId: '_pb_users_', maxSelect: 1 }),
]);
export const tags = collection('c_tags', 'tags', 'base', [f('name', 'text')]);
export const locked = collection('c_locked', 'locked', 'base', [f('name', 'text')], { listRule: null });
export const posts = collection('c_posts', 'posts', 'base', [
  f('title', 'text'), f('views', 'number'), f('active', 'bool'), f('email', 'email'), f('site', 'url'), f('body', 'editor'),
  f('published', 'date'), f('created', 'autodate'), f('status', 'select', { maxSelect: 1 }), f('labels', 'select', { maxSelect: 3 }),
  f('cover', 'file', { maxSelect: 1 }), f('files', 'file', { maxSelect: 5 }),
  f('author', 'relation', { collectionId: '_pb_users_', maxSelect: 1 }), f('tags', 'relation', { collectionId: 'c_tags', maxSelect: 10 }),
  f('meta', 'json'), f('location', 'geoPoint'), f('secret', 'text', { hidden: true }),
  f('lock', 'relation', { collectionId: 'c_locked', maxSelect: 1 }),
]);
export const comments = collection('c_comments', 'comments', 'base', [
  f('post', 'relation', { collectionId: 'c_posts', maxSelect: 1 }), f('message', 'text'),
  f('author', 'relation', { collectionId: '_pb_users_', maxSelect: 1 }),
]);
export const profiles = collection('c_profiles', 'profiles', 'base', [
  f('user', 'relation', { collectionId: '_pb_users_', maxSelect: 1 }), f('bio', 'text'),
], { indexes: ['CREATE UNIQUE INDEX `idx_profiles_user` ON `profiles` (`user`)'] });
export const ALL = [users, tags, locked, posts, comments, profiles];

const COLUMN: Record<string, string> = {
  number: 'NUMERIC DEFAULT 0 NOT NULL', bool: 'BOOLEAN DEFAULT FALSE NOT NULL', json: 'JSON DEFAULT NULL',
  geoPoint: `JSON DEFAULT '{"lon":0,"lat":0}' NOT NULL`,
};

function ddl(c: CollectionModel): string {
  const cols = c.fields.map((fl) => {
    if (fl.name === 'id') return '`id` TEXT PRIMARY KEY NOT NULL';
    const multi = Number(fl.maxSelect ?? 1) > 1;
    const type = multi ? `JSON DEFAULT '[]' NOT NULL` : COLUMN[fl.type] ?? `TEXT DEFAULT '' NOT NULL`;
    return `\`${fl.name}\` ${type}`;
  });
  return `CREATE TABLE \`${c.name}\` (${cols.join(', ')});`;
}

type Row = Record<string, unknown>;
const j = (v: unknown): string => JSON.stringify(v);

const ROWS: Record<string, Row[]> = {
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

/** Creates an in-memory database with the fixture collections and rows. */
export async function createFixtureDb(): Promise<SqliteDb> {
  const db = new SqliteDb(':memory:');
  for (const c of ALL) await db.exec(ddl(c));
  for (const [table, rows] of Object.entries(ROWS)) {
    for (const row of rows) {
      const keys = Object.keys(row);
      await db.run(`INSERT INTO \`${table}\` (${keys.map((k) => `\`${k}\``).join(', ')}) VALUES (${keys.map(() => '?').join(', ')})`,
        keys.map((k) => row[k] as string | number | null));
    }
  }
  return db;
}

export const NOW = new Date(Date.UTC(2024, 1, 29, 12, 0, 0));

export interface QueryOptions {
  collection?: CollectionModel;
  request?: RequestInfo | null;
  allowHiddenFields?: boolean;
  sort?: string;
  collections?: CollectionModel[];
}

export function context(options: QueryOptions = {}): FilterContext {
  const list = options.collections ?? ALL;
  return {
    dialect: sqliteDialect,
    collection: options.collection ?? posts,
    findCollection: (nameOrId) => list.find((c) => c.name === nameOrId || c.id === nameOrId),
    tableAlias: 'r',
    request: options.request === undefined ? guestRequest() : options.request,
    allowHiddenFields: options.allowHiddenFields ?? true,
    now: NOW,
  };
}

/** Runs a filter (and optional sort) and returns the matching ids (sorted by id unless `sort`). */
export async function queryIds(db: SqliteDb, filter: string, options: QueryOptions = {}): Promise<string[]> {
  const ctx = context(options);
  const where = compileFilter(filter, ctx);
  const order = options.sort ? compileSort(options.sort, ctx) : { sql: '`r`.`id`', params: [] };
  const table = (options.collection ?? posts).name;
  const rows = await db.all<{ id: string }>(
    `SELECT \`r\`.\`id\` FROM \`${table}\` \`r\` WHERE ${where.sql} ORDER BY ${order.sql || '`r`.`id`'}`,
    [...where.params, ...order.params],
  );
  return rows.map((r) => r.id);
}

export function authRequest(userId: string, overrides: Partial<RequestInfo> = {}): RequestInfo {
  const row = ROWS.users?.find((u) => u.id === userId) ?? {};
  return guestRequest({ auth: { record: { ...row, id: userId }, collection: users }, ...overrides });
}
