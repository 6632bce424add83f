import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestRequest } from '../../../src/core/request-info.js';
import { compileFilter } from '../../../src/store/filter/index.js';
import type { SqliteDb } from '../../../src/store/sqlite/sqlite-db.js';
import { ALL, authRequest, context, createFixtureDb, queryIds, tags, users, type QueryOptions } from './filter-fixture.js';

let db: SqliteDb;
beforeAll(async () => {
  db = await createFixtureDb();
});
afterAll(async () => {
  await db.close();
});

type Scenario = [filter: string, ids: string[]];
const run = (scenarios: Scenario[], options: QueryOptions = {}) =>
  it.each(scenarios)('%s', async (filter, expected) => {
    expect(await queryIds(db, filter, options)).toEqual(expected);
  });

describe('multi-value fields: plain operators need ALL items, ? operators ANY', () => {
  run([
    ['labels:each = "b"', ['p2']],
    ['labels:each ?= "b"', ['p1', 'p2']],
    ['labels:each != "b"', ['p4']],
    ['labels:each ?!= "b"', ['p1', 'p3', 'p4']],
    ['labels:each ~ "a"', ['p4']],
    ['labels:each ?~ "a"', ['p1', 'p4']],
    ['labels:length = 2', ['p1']],
    ['labels:length = 0', ['p3']],
    ['files:length > 1', ['p1']],
    ['status:length = 1', ['p1', 'p2', 'p4']],
    ['status:each = "draft"', ['p1']],
    ['files:each ?~ "f2"', ['p1']],
    ['cover:each = "c.png"', ['p1']],
  ]);
});

describe('relations', () => {
  run([
    ['author = "u1"', ['p1', 'p4']],
    ['author.id = "u1"', ['p1', 'p4']],
    ['author.name = "Alice"', ['p1', 'p4']],
    ['author.name = ""', ['p3']],
    ['author.name:lower = "bob"', ['p2']],
    ['author.manager.name = "Bob"', ['p1', 'p4']],
    ['author.manager.manager = ""', ['p1', 'p2', 'p3', 'p4']],
    ['tags ~ "t2"', ['p1', 'p2']],
    ['tags.name = "red"', ['p4']],
    ['tags.name ?= "red"', ['p1', 'p4']],
    ['tags.name != "red"', ['p2']],
    ['tags.name ?!= "red"', ['p1', 'p2', 'p3', 'p4']],
    ['tags.name ?!= "zzz"', ['p1', 'p2', 'p3', 'p4']],
    ['tags.id ?= "t2"', ['p1', 'p2']],
    ['tags:length = 2', ['p1', 'p4']],
    ['tags.name ?= "red" && tags.name ?= "blue"', []],
    ['tags.name ?= "red" && tags.id ?= "t1"', ['p1', 'p4']],
    ['tags.name ?= "red" || views = 20', ['p1', 'p2', 'p4']],
    ['tags.name = author.name', ['p3']],
    ['tags.name ?!= author.name', ['p1', 'p2', 'p4']],
    ['tags.name = tags.name', ['p2', 'p3']],
  ]);
});

describe('back-relations', () => {
  run([
    ['comments_via_post.message = "nice"', ['p2']],
    ['comments_via_post.message ?= "nice"', ['p1', 'p2']],
    ['comments_via_post.message ?= "meh"', ['p1']],
    ['comments_via_post.author.name ?= "Alice"', ['p1', 'p2']],
    ['comments_via_post.author.name = "Alice"', ['p2']],
    ['comments_via_post.id = ""', ['p3', 'p4']],
    ['comments_via_post.id != ""', ['p1', 'p2']],
  ]);
  run([
    ['profiles_via_user.bio = "first"', ['u1']],
    ['profiles_via_user.bio = ""', ['u2']],
    ['posts_via_author.title ?= "Hello World"', ['u1']],
    ['comments_via_author.post.title ?= "Second post"', ['u1']],
  ], { collection: users });

  it('is not available through a relation field of another collection', () => {
    expect(() => compileFilter('tags_via_author.name = "x"', context())).toThrow(/Invalid filter field/);
  });
});

describe('@collection joins and aliases', () => {
  run([
    ['@collection.tags.name = "red"', []],
    ['@collection.tags.name ?= "red"', ['p1', 'p2', 'p3', 'p4']],
    ['@collection.comments.post ?= id', ['p1', 'p2']],
    ['@collection.comments.post ?= id && @collection.comments.message ?= "meh"', ['p1']],
    ['@collection.comments:a.post ?= id && @collection.comments:a.message ?= "meh"', ['p1']],
    ['@collection.comments:a.post ?= id && @collection.comments:b.message ?= "meh"', ['p1', 'p2']],
    ['@collection.c_tags.id ?= "t1"', ['p1', 'p2', 'p3', 'p4']],
    ['@collection.users.manager.name ?= author.name', ['p2', 'p3']],
    ['@collection.users.email ?= "bob@x.com"', ['p1', 'p2', 'p3', 'p4']],
  ]);
});

describe('@request.auth', () => {
  run([
    ['@request.auth.id = ""', ['p1', 'p2', 'p3', 'p4']],
    ['@request.auth.id != ""', []],
    ['@request.auth.name = ""', ['p1', 'p2', 'p3', 'p4']],
    ['author = @request.auth.id', ['p3']],
  ], { request: guestRequest() });
  run([
    ['@request.auth.id != ""', ['p1', 'p2', 'p3', 'p4']],
    ['author = @request.auth.id', ['p1', 'p4']],
    ['author.id = @request.auth.id || views = 0', ['p1', 'p3', 'p4']],
    ['@request.auth.collectionName = "users" && @request.auth.collectionId = "_pb_users_"', ['p1', 'p2', 'p3', 'p4']],
    ['@request.auth.verified = true', ['p1', 'p2', 'p3', 'p4']],
    ['@request.auth.email = "alice@x.com"', ['p1', 'p2', 'p3', 'p4']],
    ['@request.auth.name = "Alice"', ['p1', 'p2', 'p3', 'p4']],
    ['@request.auth.manager.name = "Bob"', ['p1', 'p2', 'p3', 'p4']],
    ['author.manager = @request.auth.manager', ['p1', 'p4']],
    ['@request.auth.nope = null', ['p1', 'p2', 'p3', 'p4']],
    ['@request.auth.id = ""', []],
  ], { request: authRequest('u1') });
  run([['@request.auth.id = ""', ['p1', 'p2', 'p3', 'p4']]], { request: null });
});

describe('@request.body, query, headers, method, context', () => {
  const request = guestRequest({
    method: 'PATCH', context: 'default',
    query: { page: '2', q: 'World' }, headers: { x_token: 'abc' },
    body: { title: 'Hello World', views: '20', labels: ['a', 'b'], tags: ['t1'], author: 'u2', active: true, meta: { a: 1 }, evil: "' OR 1=1 --" },
  });
  run([
    ['title = @request.body.title', ['p1']],
    ['views = @request.body.views', ['p2']],
    ['active = @request.body.active', ['p1', 'p4']],
    ['title = @request.body.evil', []],
    ['@request.body.title:isset = true', ['p1', 'p2', 'p3', 'p4']],
    ['@request.body.nope:isset = true', []],
    ['@request.body.nope = null', ['p1', 'p2', 'p3', 'p4']],
    ['@request.body.meta.a = 1', ['p1', 'p2', 'p3', 'p4']],
    ['@request.body.labels:length = 2', ['p1', 'p2', 'p3', 'p4']],
    ['@request.body.labels:each = "a"', []],
    ['@request.body.labels:each ?= "a"', ['p1', 'p2', 'p3', 'p4']],
    ['labels:each ?= @request.body.labels:each', ['p1', 'p2', 'p4']],
    ['@request.body.title:lower = "hello world"', ['p1', 'p2', 'p3', 'p4']],
    ['@request.body.tags.name = "red"', ['p1', 'p2', 'p3', 'p4']],
    ['@request.body.author.name = author.name', ['p2']],
    ['@request.body.title:changed = true', ['p2', 'p3', 'p4']],
    ['@request.body.title:changed = false', ['p1']],
    ['@request.body.views:changed = false', ['p2']],
    ['@request.body.body:changed = true', []],
    ['@request.query.page:isset = true && @request.query.page = "2"', ['p1', 'p2', 'p3', 'p4']],
    ['title ~ @request.query.q', ['p1']],
    ['@request.query.nope:isset = true', []],
    ['@request.headers.x_token = "abc"', ['p1', 'p2', 'p3', 'p4']],
    ['@request.headers.x_token:isset = false', []],
    ['@request.method = "PATCH" && @request.context = "default"', ['p1', 'p2', 'p3', 'p4']],
    ['@request.method = "GET"', []],
  ], { request });

  it('rejects modifiers that do not apply', () => {
    const ctx = context({ request });
    expect(() => compileFilter('@request.query.page:each = 1', ctx)).toThrow(/Invalid filter field/);
    expect(() => compileFilter('@request.body.title:each = 1', ctx)).toThrow(/Invalid filter field/);
  });
});

describe('hidden fields, auth emails and related list rules (non-superuser filters)', () => {
  const guest = { allowHiddenFields: false };
  it.each(['secret = "s1"', 'author.password = "x"', 'author.tokenKey = "k1"', 'secret:lower = "s1"', 'lock.name = "secret"', 'labels:each:lower = "a"'])(
    'rejects %s without allowHiddenFields', (filter) => {
      expect(() => compileFilter(filter, context(guest))).toThrow(/Invalid filter field/);
    });
  run([
    ['secret = "s1"', ['p1']],
    ['author.tokenKey = "k1"', ['p1', 'p4']],
    ['author.email = "bob@x.com"', ['p2']],
    ['lock.name = "secret"', ['p1']],
  ], { allowHiddenFields: true });
  run([
    ['author.email = "alice@x.com"', ['p1', 'p4']],
    ['author.email = "bob@x.com"', []],
    ['@request.auth.id = ""', ['p1', 'p2', 'p3', 'p4']],
  ], guest);
  run([['email ~ "x.com"', ['u1']], ['email = "bob@x.com"', []]], { ...guest, collection: users });

  const restricted = ALL.map((c) => (c === tags ? { ...c, listRule: 'name != "red"' } : c));
  run([
    ['tags.name ?= "blue"', ['p1', 'p2']],
    ['tags.name ?= "red"', []],
  ], { ...guest, collections: restricted });
  run([['tags.name ?= "red"', ['p1', 'p4']]], { collections: restricted, allowHiddenFields: true });
});
