import { describe, expect, it } from 'vitest';
import { buildIndex, isValidIndex, parseIndex, scanTopLevel, splitTopLevel } from '../../../src/core/collections/index-parser.js';
import { parseViewQuery } from '../../../src/core/collections/view-query-parser.js';

describe('parseIndex / buildIndex', () => {
  it.each([
    ['create index idx_a on t (a)', 'CREATE INDEX `idx_a` ON `t` (`a`)'],
    ['CREATE UNIQUE INDEX IF NOT EXISTS "i" on "t" ("a" COLLATE NOCASE desc, b)', 'CREATE UNIQUE INDEX IF NOT EXISTS `i` ON `t` (\n  `a` COLLATE NOCASE DESC,\n  `b`\n)'],
    ["CREATE UNIQUE INDEX `e` ON `t` (`email`) WHERE `email` != ''", "CREATE UNIQUE INDEX `e` ON `t` (`email`) WHERE `email` != ''"],
    ['create index x on t (lower(name))', 'CREATE INDEX `x` ON `t` (lower(name))'],
  ])('%s', (input, expected) => {
    expect(buildIndex(parseIndex(input))).toBe(expected);
  });

  it.each(['create unique idx on t (a)', 'create index on t (a)', 'create index i on t ()', 'drop table t'])('rejects %s', (input) => {
    expect(isValidIndex(parseIndex(input))).toBe(false);
  });
});

describe('parseViewQuery', () => {
  it('finds columns, aliases and tables', () => {
    const parsed = parseViewQuery('select a.id, a.title as t, count(b.id) total from demo a left join other b on b.x = a.id where 1 group by a.id');
    expect(parsed.columns).toEqual([
      { original: 'a.id', alias: 'id' },
      { original: 'a.title', alias: 't' },
      { original: 'count(b.id)', alias: 'total' },
    ]);
    expect(parsed.tables).toEqual([{ original: 'demo', alias: 'a' }, { original: 'other', alias: 'b' }]);
  });
});

describe('scanTopLevel', () => {
  it('splits outside quotes and parentheses, keeping empty parts', () => {
    expect(splitTopLevel("a,'x,y',f(b, c),,`d,e`", ',')).toEqual(['a', "'x,y'", 'f(b, c)', '', '`d,e`']);
  });

  it('keeps separators as tokens and drops empty parts when asked', () => {
    expect(scanTopLevel('a  b,f(c d) "e f"', (ch) => ch === ',' || ch === ' ', true)).toEqual(['a', ' ', ' ', 'b', ',', 'f(c d)', ' ', '"e f"']);
  });
});
