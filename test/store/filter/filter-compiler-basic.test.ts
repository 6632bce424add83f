import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollectionModel } from '../../../src/core/collections/collection-model.js';
import { compileFilter } from '../../../src/store/filter/index.js';
import type { SqliteDb } from '../../../src/store/sqlite/sqlite-db.js';
import { createFixtureDb, queryIds } from '../dialects/filter-dialect-fixture.js';
import { context } from './filter-fixture.js';

// The filters and the ids they select run on every dialect in test/store/dialects/filter-scenarios.ts;
// this file keeps what is SQLite-specific (SQL text) or not a query (rejections).

let db: SqliteDb;
beforeAll(async () => {
  db = await createFixtureDb();
});
afterAll(async () => {
  await db.close();
});

describe('functions', () => {
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

  it.each([
    'title;drop table x = 1', 'title` = 1', "title' = 1", 'title = 1; DROP TABLE posts', 'meta.a\'b = 1', '`id` = 1',
    'nope = 1', 'title.x = 1', '@foo = 1', '@collection.nope.id = 1', '@collection.posts = 1', 'author.nope = 1',
    'author:bogus = 1', 'meta.a:b = 1', 'title:isset = true', 'title:changed = true',
  ])('rejects %s with a 400', (filter) => {
    expect(() => compileFilter(filter, context())).toThrow(expect.objectContaining({ code: 'bad_request' }));
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
