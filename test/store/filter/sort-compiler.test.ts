import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileSort } from '../../../src/store/filter/index.js';
import type { SqliteDb } from '../../../src/store/sqlite/sqlite-db.js';
import { context, createFixtureDb, queryIds, users } from './filter-fixture.js';

let db: SqliteDb;
beforeAll(async () => {
  db = await createFixtureDb();
});
afterAll(async () => {
  await db.close();
});

describe('compileSort', () => {
  it.each([
    ['-views', ['p2', 'p1', 'p4', 'p3']],
    ['+views', ['p3', 'p4', 'p1', 'p2']],
    ['title', ['p4', 'p3', 'p1', 'p2']],
    ['active, -views', ['p2', 'p3', 'p1', 'p4']],
    ['-author.name,id', ['p2', 'p1', 'p4', 'p3']],
    ['tags.name,id', ['p3', 'p1', 'p2', 'p4']],
    ['-tags:length,id', ['p1', 'p4', 'p2', 'p3']],
    ['title:lower', ['p4', 'p3', 'p1', 'p2']],
    ['meta.a.b,id', ['p3', 'p4', 'p1', 'p2']],
    ['comments_via_post.message,id', ['p3', 'p4', 'p1', 'p2']],
    ['@rowid', ['p1', 'p2', 'p3', 'p4']],
    ['-@rowid', ['p4', 'p3', 'p2', 'p1']],
  ] as const)('%s', async (sort, expected) => {
    expect(await queryIds(db, '', { sort })).toEqual(expected);
  });

  it('supports @random', async () => {
    expect((await queryIds(db, '', { sort: '@random' })).sort()).toEqual(['p1', 'p2', 'p3', 'p4']);
    expect(compileSort('@random', context()).sql).toBe('RANDOM()');
  });

  it('compiles plain columns without subqueries and empty text to nothing', () => {
    expect(compileSort('-created, +title', context())).toEqual({ sql: '`r`.`created` DESC, `r`.`title` ASC', params: [] });
    expect(compileSort('', context())).toEqual({ sql: '', params: [] });
  });

  it.each(['nope', 'title;drop table posts', '@request.query.x', '@now', 'null', 'author.password', 'a,b,c,d,e,f,g,h,i'])(
    'rejects %s', (sort) => {
      expect(() => compileSort(sort, context({ allowHiddenFields: false }))).toThrow(expect.objectContaining({ code: 'bad_request' }));
    });

  it('applies the hidden-field rule', async () => {
    expect(() => compileSort('secret', context({ allowHiddenFields: false }))).toThrow(/non-filterable/);
    expect(await queryIds(db, '', { sort: '-secret,id', allowHiddenFields: true })).toEqual(['p2', 'p1', 'p3', 'p4']);
    expect(await queryIds(db, '', { sort: '-name', collection: users })).toEqual(['u2', 'u1']);
  });
});
