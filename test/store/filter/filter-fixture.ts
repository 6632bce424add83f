import type { CollectionModel, FieldModel } from '../../../src/core/collections/collection-model.js';
import { guestRequest, type RequestInfo } from '../../../src/core/request-info.js';
import type { Dialect } from '../../../src/store/dialect.js';
import type { FilterContext } from '../../../src/store/filter/index.js';
import { sqliteDialect } from '../../../src/store/sqlite/sqlite-dialect.js';

/*
 * The filter-compiler fixture (collections, rows, compiler context), shared by the SQLite-only
 * compiler tests here and the dialect matrix; test/store/dialects/filter-dialect-fixture.ts builds it
 * on a Db and runs queries.
 */

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

const j = (v: unknown): string => JSON.stringify(v);

/** The fixture rows, per table (missing columns take their defaults). */
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

/** The fixed clock of the datetime scenarios (2024-02-29 12:00:00Z, a Thursday). */
export const NOW = new Date(Date.UTC(2024, 1, 29, 12, 0, 0));

/** What a scenario may change about the compiler context or the query. */
export interface QueryOptions {
  collection?: CollectionModel;
  request?: RequestInfo | null;
  allowHiddenFields?: boolean;
  sort?: string;
  collections?: CollectionModel[];
}

/** The compiler context of the fixture for a dialect (SQLite unless given). */
export function context(options: QueryOptions = {}, dialect: Dialect = sqliteDialect): FilterContext {
  const list = options.collections ?? ALL;
  return {
    dialect,
    collection: options.collection ?? posts,
    findCollection: (nameOrId) => list.find((c) => c.name === nameOrId || c.id === nameOrId),
    tableAlias: 'r',
    request: options.request === undefined ? guestRequest() : options.request,
    allowHiddenFields: options.allowHiddenFields ?? true,
    now: NOW,
  };
}

/** A request authenticated as a fixture user. */
export function authRequest(userId: string, overrides: Partial<RequestInfo> = {}): RequestInfo {
  const row = ROWS.users?.find((u) => u.id === userId) ?? {};
  return guestRequest({ auth: { record: { ...row, id: userId }, collection: users }, ...overrides });
}
