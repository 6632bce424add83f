import { describe, expect, it } from 'vitest';
import { PlinthError } from '../../../src/core/errors/plinth-error.js';
import { parseFilter, resolveDatetimeMacro, tokenizeFilter, type FilterExpr } from '../../../src/core/filter/index.js';

const id = (name: string) => ({ kind: 'identifier', name }) as const;
const text = (value: string) => ({ kind: 'text', value }) as const;
const num = (value: number) => ({ kind: 'number', value }) as const;

describe('parseFilter: valid input', () => {
  const cases: [string, FilterExpr | null][] = [
    ['', null],
    ['   \n\t ', null],
    ['// only a comment', null],
    ['a = 1', { kind: 'compare', op: '=', left: id('a'), right: num(1) }],
    ['a=-1.5', { kind: 'compare', op: '=', left: id('a'), right: num(-1.5) }],
    ["title != 'x'", { kind: 'compare', op: '!=', left: id('title'), right: text('x') }],
    ['title ~ "it\\"s"', { kind: 'compare', op: '~', left: id('title'), right: text('it"s') }],
    ["t = 'a\\'b\\\\c'", { kind: 'compare', op: '=', left: id('t'), right: text("a'b\\\\c") }],
    ['"x" = title', { kind: 'compare', op: '=', left: text('x'), right: id('title') }],
    ['rel.sub.field:lower ?!~ "a"', { kind: 'compare', op: '?!~', left: id('rel.sub.field:lower'), right: text('a') }],
    ['a = null && b = TRUE', { kind: 'and', items: [
      { kind: 'compare', op: '=', left: id('a'), right: { kind: 'keyword', value: 'null' } },
      { kind: 'compare', op: '=', left: id('b'), right: { kind: 'keyword', value: 'true' } },
    ] }],
    ['a = 1 && b = 2 || c = 3', { kind: 'or', items: [
      { kind: 'and', items: [
        { kind: 'compare', op: '=', left: id('a'), right: num(1) },
        { kind: 'compare', op: '=', left: id('b'), right: num(2) },
      ] },
      { kind: 'compare', op: '=', left: id('c'), right: num(3) },
    ] }],
    ['a = 1 && (b = 2 || c = 3) // trailing', { kind: 'and', items: [
      { kind: 'compare', op: '=', left: id('a'), right: num(1) },
      { kind: 'or', items: [
        { kind: 'compare', op: '=', left: id('b'), right: num(2) },
        { kind: 'compare', op: '=', left: id('c'), right: num(3) },
      ] },
    ] }],
    ['created > @now', { kind: 'compare', op: '>', left: id('created'), right: { kind: 'macro', name: '@now' } }],
    ['@request.auth.id != ""', { kind: 'compare', op: '!=', left: id('@request.auth.id'), right: text('') }],
    ['@collection.users:u.name ?= "x"', { kind: 'compare', op: '?=', left: id('@collection.users:u.name'), right: text('x') }],
    ['geoDistance(loc.lon, loc.lat, 1.5, -2) < 25', { kind: 'compare', op: '<', right: num(25), left: {
      kind: 'function', name: 'geoDistance', args: [id('loc.lon'), id('loc.lat'), num(1.5), num(-2)] } }],
    ["strftime('%Y', created) = '2024'", { kind: 'compare', op: '=', right: text('2024'), left: {
      kind: 'function', name: 'strftime', args: [text('%Y'), id('created')] } }],
  ];
  it.each(cases)('%s', (input, expected) => {
    expect(parseFilter(input)).toEqual(expected);
  });

  it('accepts every operator', () => {
    for (const op of ['=', '!=', '>', '>=', '<', '<=', '~', '!~', '?=', '?!=', '?>', '?>=', '?<', '?<=', '?~', '?!~']) {
      expect(parseFilter(`a ${op} 1`)).toMatchObject({ kind: 'compare', op });
    }
  });
});

describe('parseFilter: invalid input', () => {
  const cases = [
    'a', 'a =', '= 1', 'a = 1 &&', 'a = 1 b = 2', 'a == 1', 'a =! 1', 'a = 1 & b = 2', 'a = 1 ||| b = 2',
    '(a = 1', 'a = 1)', '()', 'a = "x', "a = 'x", 'a = 1.', 'a = 1.2.3', 'a = -', 'a.b. = 1', 'title;drop table x = 1',
    'a = $1', 'a = 1 / 2', 'fn(a, = 1', 'f(a b) = 1', 'a = 1 && && b = 2', 'a..b = 1 = 2', '# = 1',
  ];
  it.each(cases)('%s', (input) => {
    expect(() => parseFilter(input)).toThrow(PlinthError);
    try {
      parseFilter(input);
    } catch (err) {
      expect((err as PlinthError).code).toBe('bad_request');
      expect((err as PlinthError).message).toMatch(/^Invalid filter expression/);
    }
  });

  it('limits length, nesting and expression count', () => {
    expect(() => parseFilter('a = 1'.padEnd(30_000, ' '))).toThrow(/longer than/);
    expect(() => parseFilter(`${'('.repeat(100)}a = 1${')'.repeat(100)}`)).toThrow(/nesting/);
    expect(() => parseFilter(Array.from({ length: 201 }, () => 'a = 1').join(' && '))).toThrow(/more than 200/);
    expect(parseFilter(Array.from({ length: 200 }, () => 'a = 1').join(' && '))).not.toBeNull();
    expect(() => parseFilter(`strftime(${Array.from({ length: 12 }, () => "'x'").join(',')}) = 1`)).toThrow(/too many/);
  });
});

describe('tokenizeFilter', () => {
  it('keeps positions and skips comments', () => {
    expect(tokenizeFilter('a>=1 // c\n|| b').map((t) => [t.type, t.value, t.pos])).toEqual([
      ['identifier', 'a', 0], ['operator', '>=', 1], ['number', '1', 3], ['or', '||', 10], ['identifier', 'b', 13], ['eof', '', 14],
    ]);
  });
});

describe('resolveDatetimeMacro', () => {
  const now = new Date(Date.UTC(2024, 1, 29, 13, 14, 15, 16)); // Thursday
  it.each([
    ['@now', '2024-02-29 13:14:15.016Z'], ['@yesterday', '2024-02-28 13:14:15.016Z'], ['@tomorrow', '2024-03-01 13:14:15.016Z'],
    ['@second', 15], ['@minute', 14], ['@hour', 13], ['@weekday', 4], ['@day', 29], ['@month', 2], ['@year', 2024],
    ['@todayStart', '2024-02-29 00:00:00.000Z'], ['@todayEnd', '2024-02-29 23:59:59.999Z'],
    ['@monthStart', '2024-02-01 00:00:00.000Z'], ['@monthEnd', '2024-02-29 23:59:59.999Z'],
    ['@yearStart', '2024-01-01 00:00:00.000Z'], ['@yearEnd', '2024-12-31 23:59:59.999Z'],
  ] as const)('%s', (name, expected) => {
    expect(resolveDatetimeMacro(name, now)).toBe(expected);
  });
});
