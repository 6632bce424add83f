import { describe, expect, it } from 'vitest';
import { compileSort } from '../../../src/store/filter/index.js';
import { context } from './filter-fixture.js';

// The sorts with the order they return run on every dialect (SORT_SCENARIOS in
// test/store/dialects/filter-scenarios.ts); this file keeps the SQLite SQL text and the rejections.

describe('compileSort', () => {
  it('compiles @random to RANDOM()', () => {
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

  it('applies the hidden-field rule', () => {
    expect(() => compileSort('secret', context({ allowHiddenFields: false }))).toThrow(/non-filterable/);
  });
});
