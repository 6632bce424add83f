import { describe, expect, it } from 'vitest';
import { formatFloat, toBool, toFloat, toStr, toUniqueStrings } from '../../../src/core/fields/cast.js';
import {
  formatDateTime,
  goTimeString,
  parseDateTime,
  toDateTimeString,
} from '../../../src/core/fields/datetime.js';
import {
  newRecordId,
  patternGenerationError,
  randomString,
  randomStringFromPattern,
} from '../../../src/core/fields/random.js';
import { splitModifierKey } from '../../../src/core/fields/field-type.js';
import { defaultFieldId } from '../../../src/core/fields/field-common.js';
import { sentenize } from '../../../src/core/fields/field-errors.js';
import { matchesGoRegex, regexError } from '../../../src/core/fields/regex.js';

describe('casts (Go cast semantics)', () => {
  it.each([
    ['abc', 'abc'],
    [12.5, '12.5'],
    [1e21, '1000000000000000000000'],
    [1e-7, '0.0000001'],
    [true, 'true'],
    [false, 'false'],
    [null, ''],
    [undefined, ''],
    [{ a: 1 }, ''],
    [[1, 2], ''],
  ])('toStr(%j) = %j', (input, expected) => {
    expect(toStr(input)).toBe(expected);
  });

  it.each([
    ['12.5', 12.5],
    ['-3', -3],
    ['1e3', 1000],
    [' 12', 0],
    ['12abc', 0],
    ['', 0],
    [true, 1],
    [false, 0],
    [null, 0],
    [{}, 0],
    ['1e400', 0],
  ])('toFloat(%j) = %j', (input, expected) => {
    expect(toFloat(input)).toBe(expected);
  });

  it('toFloat reads inf/nan words like strconv.ParseFloat', () => {
    expect(toFloat('inf')).toBe(Infinity);
    expect(toFloat('-Infinity')).toBe(-Infinity);
    expect(toFloat('NaN')).toBeNaN();
  });

  it.each([
    ['true', true],
    ['1', true],
    ['t', true],
    ['TRUE', true],
    ['on', false],
    ['yes', false],
    ['false', false],
    ['', false],
    [1, true],
    [0, false],
    [null, false],
    [{}, false],
  ])('toBool(%j) = %j', (input, expected) => {
    expect(toBool(input)).toBe(expected);
  });

  it.each([
    [null, []],
    ['', []],
    ['a', ['a']],
    ['["a","b","a",""]', ['a', 'b']],
    ['[not json', ['[not json']],
    ['[1,2]', ['[1,2]']],
    [['a', '', 'a', 'b', 3, true, {}], ['a', 'b', '3', 'true']],
    [5, ['5']],
    [{ a: 1 }, []],
  ])('toUniqueStrings(%j) = %j', (input, expected) => {
    expect(toUniqueStrings(input)).toEqual(expected);
  });

  it('formatFloat matches Go for ordinary numbers', () => {
    expect(formatFloat(123456)).toBe('123456');
    expect(formatFloat(-0.5)).toBe('-0.5');
  });
});

describe('datetimes', () => {
  it.each([
    ['2022-10-01 12:00:00.000Z', '2022-10-01 12:00:00.000Z'],
    ['2022-10-01 12:00:00.123456Z', '2022-10-01 12:00:00.123Z'],
    ['2022-10-01T12:00:00Z', '2022-10-01 12:00:00.000Z'],
    ['2022-10-01T12:00:00.5Z', '2022-10-01 12:00:00.500Z'],
    ['2022-10-01T12:00:00+02:00', '2022-10-01 10:00:00.000Z'],
    ['2022-10-01T12:00:00-0130', '2022-10-01 13:30:00.000Z'],
    ['2022-10-01T12:00:00', '2022-10-01 12:00:00.000Z'],
    ['2022-10-01 12:00:00', '2022-10-01 12:00:00.000Z'],
    ['2022-10-01 12:00:00 +0000 UTC', '2022-10-01 12:00:00.000Z'],
    ['2022-10-01', '2022-10-01 00:00:00.000Z'],
    ['Mon, 02 Jan 2006 15:04:05 MST', '2006-01-02 15:04:05.000Z'],
    ['Mon, 02 Jan 2006 15:04:05 +0100', '2006-01-02 14:04:05.000Z'],
    ['02 Jan 2006', '2006-01-02 00:00:00.000Z'],
    ['2022-02-30', ''],
    ['2022-13-01', ''],
    ['0001-01-01 00:00:00.000Z', ''],
    ['tomorrow', ''],
    ['', ''],
    [1700000000, ''],
    [null, ''],
    [{}, ''],
  ])('toDateTimeString(%j) = %j', (input, expected) => {
    expect(toDateTimeString(input)).toBe(expected);
  });

  it('formats a Date in UTC with milliseconds', () => {
    expect(formatDateTime(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)))).toBe('2024-01-02 03:04:05.006Z');
    expect(toDateTimeString(new Date(Date.UTC(2024, 0, 2)))).toBe('2024-01-02 00:00:00.000Z');
  });

  it('keeps year-1 dates other than the zero time and pads years', () => {
    expect(toDateTimeString('0001-01-01 00:00:01.000Z')).toBe('0001-01-01 00:00:01.000Z');
  });

  it('goTimeString renders like Go time.String()', () => {
    expect(goTimeString(parseDateTime('2022-01-01 00:00:00.000Z')!)).toBe('2022-01-01 00:00:00 +0000 UTC');
    expect(goTimeString(parseDateTime('2022-01-01 00:00:00.120Z')!)).toBe('2022-01-01 00:00:00.12 +0000 UTC');
  });
});

describe('random ids and strings', () => {
  it('newRecordId is 15 chars of [a-z0-9] and unique', () => {
    const ids = new Set(Array.from({ length: 2000 }, () => newRecordId()));
    expect(ids.size).toBe(2000);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]{15}$/);
  });

  it('randomString draws every character of the alphabet, roughly uniformly', () => {
    const s = randomString(36_000, 'abc');
    const counts = { a: 0, b: 0, c: 0 } as Record<string, number>;
    for (const ch of s) counts[ch] = (counts[ch] ?? 0) + 1;
    for (const n of Object.values(counts)) expect(Math.abs(n - 12_000)).toBeLessThan(600);
    expect(randomString(0)).toBe('');
    expect(randomString(20)).toMatch(/^[a-zA-Z0-9]{20}$/);
  });

  it.each([
    ['[a-z0-9]{15}', /^[a-z0-9]{15}$/],
    ['users[0-9]{5}', /^users[0-9]{5}$/],
    ['[a-zA-Z0-9_]{50}', /^[a-zA-Z0-9_]{50}$/],
    ['^ab?c$', /^ab?c$/],
    ['(foo|bar)-\\d{2,4}', /^(foo|bar)-\d{2,4}$/],
    ['x[^a-z]{3}', /^x[^a-z]{3}$/],
    ['a\\.b', /^a\.b$/],
    ['[\\w-]{8}', /^[\w-]{8}$/],
    ['(?:ab)+', /^(?:ab)+$/],
  ])('randomStringFromPattern(%s)', (pattern, re) => {
    for (let i = 0; i < 20; i++) expect(randomStringFromPattern(pattern)).toMatch(re);
  });

  it.each(['[a-z', '(ab', 'a{2,1}', '*a', '(?=a)b', '\\1'])('rejects %s', (pattern) => {
    expect(patternGenerationError(pattern)).not.toBeNull();
    expect(() => randomStringFromPattern(pattern)).toThrow(SyntaxError);
  });
});

describe('small helpers', () => {
  it.each([
    ['tags+', { name: 'tags', modifier: 'append' }],
    ['+tags', { name: 'tags', modifier: 'prepend' }],
    ['views-', { name: 'views', modifier: 'subtract' }],
    ['slug:autogenerate', { name: 'slug', modifier: 'autogenerate' }],
    ['title', { name: 'title', modifier: null }],
    ['+', { name: '+', modifier: null }],
    ['-', { name: '-', modifier: null }],
  ])('splitModifierKey(%s)', (key, expected) => {
    expect(splitModifierKey(key)).toEqual(expected);
  });

  it('defaultFieldId is type + crc32(name), as PocketBase', () => {
    expect(defaultFieldId('text', 'id')).toBe('text3208210256');
    expect(defaultFieldId('geoPoint', 'point')).toBe('geoPoint3081106212');
  });

  it('sentenize', () => {
    expect(sentenize('cannot be blank')).toBe('Cannot be blank.');
    expect(sentenize('Done.')).toBe('Done.');
    expect(sentenize('')).toBe('');
  });

  it('Go-style regex flags and validity', () => {
    expect(matchesGoRegex('(?i)^abc$', 'ABC')).toBe(true);
    expect(matchesGoRegex('^[a-z]+$', 'ABC')).toBe(false);
    expect(matchesGoRegex('b', 'abc')).toBe(true); // unanchored, like regexp.MatchString
    expect(regexError('[a-z')).not.toBeNull();
    expect(matchesGoRegex('[a-z', 'a')).toBe(false);
    expect(matchesGoRegex('^(?P<y>\\d{4})$', '2024')).toBe(true);
  });
});
