import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollectionModel } from '../../../src/core/collections/collection-model.js';
import { compileFilter } from '../../../src/store/filter/index.js';
import type { SqliteDb } from '../../../src/store/sqlite/sqlite-db.js';
import { context, createFixtureDb, queryIds } from './filter-fixture.js';

let db: SqliteDb;
beforeAll(async () => {
  db = await createFixtureDb();
});
afterAll(async () => {
  await db.close();
});

type Scenario = [filter: string, ids: string[]];
const run = (scenarios: Scenario[]) =>
  it.each(scenarios)('%s', async (filter, expected) => {
    expect(await queryIds(db, filter)).toEqual(expected);
  });

describe('comparison operators on plain columns', () => {
  run([
    ['title = "Hello World"', ['p1']],
    ["'Hello World' = title", ['p1']],
    ['title != "Hello World"', ['p2', 'p3', 'p4']],
    ['views > 5', ['p1', 'p2']],
    ['views >= 5', ['p1', 'p2', 'p4']],
    ['views < 5', ['p3']],
    ['views <= 5', ['p3', 'p4']],
    ['views = 10.0', ['p1']],
    ['views > -1 && views < 6', ['p3', 'p4']],
    ['active = true', ['p1', 'p4']],
    ['active = false', ['p2', 'p3']],
    ['active != true', ['p2', 'p3']],
    ['status = "published"', ['p2', 'p4']],
    ['id = "p1" || (views > 15 && active = false)', ['p1', 'p2']],
    ['id = "p1" || id = "p2" && views > 100', ['p1']],
    ['(id = "p1" || id = "p2") && views > 15', ['p2']],
    ['published > "2024-01-01"', ['p1', 'p4']],
    ['title = "Hello World" // a comment', ['p1']],
  ]);
});

describe('null and empty semantics', () => {
  run([
    ['title = ""', ['p4']],
    ['title = null', ['p4']],
    ['title != ""', ['p1', 'p2', 'p3']],
    ['title != null', ['p1', 'p2', 'p3']],
    ['"" = title', ['p4']],
    ['email = ""', ['p2', 'p3', 'p4']],
    ['published = ""', ['p3']],
    ['null = null', ['p1', 'p2', 'p3', 'p4']],
    ['"" != null', []],
    ['title = site', ['p4']],
    ['author = ""', ['p3']],
  ]);
});

describe('contains (~ and !~)', () => {
  run([
    ['title ~ "world"', ['p1']],
    ['title ~ "WORLD"', ['p1']],
    ['title !~ "o"', ['p4']],
    ['title ~ "100%"', ['p3']],
    ['title ~ "_"', ['p3']],
    ['title ~ "%_d%"', ['p1', 'p2', 'p3']],
    ['title ~ "\\\\%"', []],
    ['labels ~ "a"', ['p1', 'p4']],
    ['title ~ status', ['p3']],
    ['status ~ title', ['p4']],
    ['title ~ ""', ['p1', 'p2', 'p3', 'p4']],
  ]);
});

describe('JSON and geoPoint fields', () => {
  run([
    ['meta.a.b = 1', ['p1']],
    ['meta.a.b > 1', ['p2']],
    ['meta.arr.1 = 6', ['p1']],
    ['meta.0 = 1', ['p4']],
    ['meta = null', ['p3']],
    ['meta.a.b = null', ['p3', 'p4']],
    ['meta.missing = ""', []],
    ['meta.missing != ""', ['p1', 'p2', 'p3', 'p4']],
    ['location.lat > 50', ['p2']],
    ['location.lon = 0', ['p3']],
  ]);
});

describe('datetime macros (now = 2024-02-29 12:00:00Z)', () => {
  run([
    ['created >= @todayStart', ['p4']],
    ['published <= @now', ['p1', 'p2', 'p3']],
    ['created > @yesterday && created < @tomorrow', ['p4']],
    ['published > @todayEnd', []],
    ['created >= @monthStart && created <= @monthEnd', ['p4']],
    ['created >= @yearStart && created <= @yearEnd', ['p1', 'p4']],
    ['@month = 2 && @year = 2024 && @day = 29 && @weekday = 4 && @hour = 12 && @minute = 0 && @second = 0', ['p1', 'p2', 'p3', 'p4']],
  ]);
});

describe('functions', () => {
  run([
    ['geoDistance(location.lon, location.lat, 23.32, 42.69) < 5', ['p1', 'p4']],
    ['geoDistance(location.lon, location.lat, -0.12, 51.5) < 10', ['p2']],
    ['geoDistance(23.32, 42.69, -0.12, 51.5) > 2000', ['p1', 'p2', 'p3', 'p4']],
    ["strftime('%Y', created) = '2024'", ['p1', 'p4']],
    ["strftime('%Y-%m', published) = '2023-06'", ['p2']],
    ["strftime('%Y', published, '+1 year') = '2025'", ['p1', 'p4']],
    ["strftime('%Y', published) = ''", ['p3']],
    ["strftime('%Y', '2020-05-01') = '2020'", ['p1', 'p2', 'p3', 'p4']],
    ["strftime('%m', created) = strftime('%m', @now)", ['p4']],
  ]);

  it.each([
    'geoDistance(1, 2, 3) < 1', "geoDistance('a', 1, 2, 3) < 1", 'strftime(created) = 1', "strftime('%Y', created, 1) = 1", 'nope(1) = 1',
  ])('rejects %s', (filter) => {
    expect(() => compileFilter(filter, context())).toThrow(/Invalid filter field/);
  });
});

describe('SQL shape and safety', () => {
  it('compiles plain-column filters to plain comparisons without joins or subqueries', () => {
    const { sql, params } = compileFilter('title = "x" && views > 1 || active = true', context());
    expect(sql).not.toMatch(/JOIN|EXISTS|SELECT/);
    expect(sql).toBe('((`r`.`title` = ? AND `r`.`views` > ?) OR `r`.`active` = 1)');
    expect(params).toEqual(['x', 1]);
  });

  it('returns 1=1 for a blank filter', () => {
    expect(compileFilter('  // nothing', context())).toEqual({ sql: '1=1', params: [] });
    expect(compileFilter(null, context())).toEqual({ sql: '1=1', params: [] });
  });

  it('binds every literal', () => {
    const { sql, params } = compileFilter(`title = "x' OR 1=1 --" || title ~ '"; DROP TABLE posts; --'`, context());
    expect(sql).not.toContain('OR 1=1');
    expect(sql).not.toContain('DROP');
    expect(params).toEqual(["x' OR 1=1 --", '%"; DROP TABLE posts; --%']);
  });

  run([
    ["title = \"x' OR 1=1 --\"", []],
    ["title = 'x\\' OR 1=1 --'", []],
    ['title ~ "\'; DROP TABLE posts; --"', []],
    ['title = "Hello World\\" || 1=1"', []],
  ]);

  it.each([
    'title;drop table x = 1', 'title` = 1', "title' = 1", 'title = 1; DROP TABLE posts', 'meta.a\'b = 1', '`id` = 1',
    'nope = 1', 'title.x = 1', '@foo = 1', '@collection.nope.id = 1', '@collection.posts = 1', 'author.nope = 1',
    'author:bogus = 1', 'meta.a:b = 1', 'title:isset = true', 'title:changed = true',
  ])('rejects %s with a 400', (filter) => {
    expect(() => compileFilter(filter, context())).toThrow(expect.objectContaining({ code: 'bad_request' }));
  });

  it('leaves the data intact', async () => {
    const rows = await db.all<{ n: number }>('SELECT COUNT(*) AS n FROM `posts`');
    expect(rows[0]?.n).toBe(4);
  });

  it('works on a synthetic collection such as _collections', async () => {
    const meta: CollectionModel = {
      id: '_pbc', name: '_collections', type: 'base', system: true, indexes: [], listRule: null, viewRule: null,
      createRule: null, updateRule: null, deleteRule: null, options: {}, created: '', updated: '',
      fields: ['id', 'name', 'type', 'system'].map((name) => ({ id: name, name, type: name === 'system' ? 'bool' : 'text', system: true, hidden: false, presentable: false })),
    };
    await db.exec("CREATE TABLE `_collections` (`id` TEXT PRIMARY KEY, `name` TEXT, `type` TEXT, `system` BOOLEAN); INSERT INTO `_collections` VALUES ('a','posts','base',0),('b','users','auth',0),('c','_superusers','auth',1);");
    const ids = await queryIds(db, 'name ~ "s" && type = "auth" && system = false', { collection: meta, allowHiddenFields: false });
    expect(ids).toEqual(['b']);
  });
});
