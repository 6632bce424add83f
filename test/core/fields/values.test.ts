import { describe, expect, it } from 'vitest';
import type { CollectionModel, FieldModel } from '../../../src/core/collections/collection-model.js';
import { applyAutoValues, getFieldType, normalizeField } from '../../../src/core/fields/field-registry.js';
import type { FieldValueContext, Modifier } from '../../../src/core/fields/field-type.js';

const users: CollectionModel = {
  id: 'users_col', name: 'users', type: 'auth', system: false, fields: [], indexes: [],
  listRule: null, viewRule: null, createRule: null, updateRule: null, deleteRule: null, options: {}, created: '', updated: '',
};
const demo: CollectionModel = { ...users, id: 'demo_col', name: 'demo', type: 'base' };
const existingUserIds = ['u1', 'u2', 'u3'];

function vctx(over: Partial<FieldValueContext> = {}): FieldValueContext {
  return {
    collection: demo,
    isNew: true,
    original: null,
    findCollection: (idOrName) => [users, demo].find((c) => c.id === idOrName || c.name === idOrName),
    recordsExist: async (collectionId, ids) => (collectionId === 'users_col' ? ids.filter((id) => existingUserIds.includes(id)) : []),
    ...over,
  };
}

const field = (raw: Record<string, unknown>): FieldModel => normalizeField({ id: 'f1', name: 'f', ...raw });
const impl = (f: FieldModel) => getFieldType(f.type)!;
const prepare = (raw: Record<string, unknown>, input: unknown) => {
  const f = field(raw);
  return impl(f).prepareValue(input, f);
};
/** prepareValue then validateValue; the error code or null. */
async function code(raw: Record<string, unknown>, input: unknown, c: FieldValueContext = vctx()): Promise<string | null> {
  const f = field(raw);
  const e = await impl(f).validateValue(impl(f).prepareValue(input, f), f, c);
  return e?.code ?? null;
}

describe('prepareValue (body input → API value; never throws)', () => {
  it.each<[string, Record<string, unknown>, unknown, unknown]>([
    ['text string', { type: 'text' }, 'hi', 'hi'],
    ['text number', { type: 'text' }, 12.5, '12.5'],
    ['text bool', { type: 'text' }, true, 'true'],
    ['text object', { type: 'text' }, { a: 1 }, ''],
    ['text null', { type: 'text' }, null, ''],
    ['number from multipart', { type: 'number' }, '12.5', 12.5],
    ['number junk', { type: 'number' }, 'abc', 0],
    ['number bool', { type: 'number' }, true, 1],
    ['number array', { type: 'number' }, [1], 0],
    ['bool "true"', { type: 'bool' }, 'true', true],
    ['bool "1"', { type: 'bool' }, '1', true],
    ['bool "false"', { type: 'bool' }, 'false', false],
    ['bool "on" (not Go-true)', { type: 'bool' }, 'on', false],
    ['bool number', { type: 'bool' }, 2, true],
    ['email keeps case', { type: 'email' }, 'John@Example.com', 'John@Example.com'],
    ['date ISO', { type: 'date' }, '2024-05-06T07:08:09.123456Z', '2024-05-06 07:08:09.123Z'],
    ['date junk', { type: 'date' }, 'soon', ''],
    ['select single from array keeps the last', { type: 'select', values: ['a', 'b'] }, ['a', 'b'], 'b'],
    ['select single from string', { type: 'select', values: ['a'] }, 'a', 'a'],
    ['select multiple from string', { type: 'select', values: ['a'], maxSelect: 2 }, 'a', ['a']],
    ['select multiple from JSON text', { type: 'select', values: ['a', 'b'], maxSelect: 2 }, '["a","b","a"]', ['a', 'b']],
    ['select multiple junk', { type: 'select', values: ['a'], maxSelect: 2 }, { x: 1 }, []],
    ['select multiple drops empties', { type: 'select', values: ['a'], maxSelect: 2 }, ['', 'a', ''], ['a']],
    ['relation single empty', { type: 'relation', collectionId: 'users_col' }, '', ''],
    ['relation multiple repeated multipart keys', { type: 'relation', collectionId: 'users_col', maxSelect: 5 }, ['u1', 'u2'], ['u1', 'u2']],
    ['json object', { type: 'json' }, { a: [1, 2] }, { a: [1, 2] }],
    ['json "true" from multipart', { type: 'json' }, 'true', true],
    ['json "null"', { type: 'json' }, 'null', null],
    ['json number text', { type: 'json' }, '12.5', 12.5],
    ['json array text', { type: 'json' }, '[1,2]', [1, 2]],
    ['json object text', { type: 'json' }, '{"a":1}', { a: 1 }],
    ['json quoted text', { type: 'json' }, '"x"', 'x'],
    ['json plain text', { type: 'json' }, 'hello', 'hello'],
    ['json broken text stays text', { type: 'json' }, '[1,', '[1,'],
    ['json empty string', { type: 'json' }, '', ''],
    ['json undefined', { type: 'json' }, undefined, null],
    ['geoPoint object', { type: 'geoPoint' }, { lon: 23.3, lat: 42.6 }, { lon: 23.3, lat: 42.6 }],
    ['geoPoint multipart JSON', { type: 'geoPoint' }, '{"lon":1,"lat":2}', { lon: 1, lat: 2 }],
    ['geoPoint string coords', { type: 'geoPoint' }, { lon: '1', lat: 2 }, { lon: 0, lat: 2 }],
    ['geoPoint junk', { type: 'geoPoint' }, 'x', { lon: 0, lat: 0 }],
    ['geoPoint case-insensitive keys', { type: 'geoPoint' }, { LON: 5, Lat: 6 }, { lon: 5, lat: 6 }],
    ['password', { type: 'password' }, 12345678, '12345678'],
    ['file names (single keeps last)', { type: 'file' }, ['a.txt', 'b.txt'], 'b.txt'],
    ['file multiple', { type: 'file', maxSelect: 3 }, 'a.txt', ['a.txt']],
  ])('%s', (_name, raw, input, expected) => {
    expect(prepare(raw, input)).toEqual(expected);
  });

  it('never throws on junk, for any type', () => {
    const junk: unknown[] = [undefined, null, '', 'x', 0, -1, NaN, Infinity, true, [], [null], {}, { a: { b: 1 } }, ['[', '{'], new Date(NaN), Symbol.iterator];
    for (const type of ['text', 'number', 'bool', 'email', 'url', 'editor', 'date', 'autodate', 'select', 'file', 'relation', 'json', 'password', 'geoPoint']) {
      for (const maxSelect of [0, 3]) {
        const f = field({ type, maxSelect, values: ['a'], collectionId: 'users_col' });
        for (const j of junk) {
          expect(() => impl(f).prepareValue(j, f)).not.toThrow();
          expect(() => impl(f).fromDb(j, f)).not.toThrow();
        }
      }
    }
  });
});

describe('validateValue codes', () => {
  it.each<[string, Record<string, unknown>, unknown, string | null]>([
    // text
    ['text ok', { type: 'text' }, 'hi', null],
    ['text required', { type: 'text', required: true }, '', 'validation_required'],
    ['text min', { type: 'text', min: 3 }, 'ab', 'validation_min_text_constraint'],
    ['text min counts runes', { type: 'text', min: 3 }, 'héé', null],
    ['text max', { type: 'text', max: 3 }, 'abcd', 'validation_max_text_constraint'],
    ['text default max 5000', { type: 'text' }, 'a'.repeat(5001), 'validation_max_text_constraint'],
    ['text empty skips min', { type: 'text', min: 3 }, '', null],
    ['text pattern', { type: 'text', pattern: '^[a-z]+$' }, 'ABC', 'validation_invalid_format'],
    ['text pattern ok', { type: 'text', pattern: '^[a-z]+$' }, 'abc', null],
    // number
    ['number ok', { type: 'number', min: 1, max: 10 }, '5', null],
    ['number required zero', { type: 'number', required: true }, 0, 'validation_required'],
    ['number zero skips min', { type: 'number', min: 5 }, 0, null],
    ['number min', { type: 'number', min: 5 }, 4, 'validation_min_number_constraint'],
    ['number max', { type: 'number', max: 5 }, 6, 'validation_max_number_constraint'],
    ['number onlyInt', { type: 'number', onlyInt: true }, 1.5, 'validation_only_int_constraint'],
    ['number inf', { type: 'number' }, 'inf', 'validation_not_a_number'],
    ['number nan', { type: 'number' }, 'NaN', 'validation_not_a_number'],
    // bool
    ['bool required false', { type: 'bool', required: true }, 'false', 'validation_required'],
    ['bool required true', { type: 'bool', required: true }, true, null],
    // email
    ['email ok', { type: 'email' }, 'test@example.com', null],
    ['email invalid', { type: 'email' }, 'invalid', 'validation_is_email'],
    ['email without tld', { type: 'email' }, 'a@b', 'validation_is_email'],
    ['email required', { type: 'email', required: true }, '', 'validation_required'],
    ['email onlyDomains', { type: 'email', onlyDomains: ['example.com'] }, 'a@other.com', 'validation_email_domain_not_allowed'],
    ['email exceptDomains', { type: 'email', exceptDomains: ['example.com'] }, 'a@example.com', 'validation_email_domain_not_allowed'],
    // url
    ['url ok', { type: 'url' }, 'https://example.com/a?b=c#d', null],
    ['url without scheme', { type: 'url' }, 'example.com', null],
    ['url localhost with port', { type: 'url' }, 'http://localhost:8090', null],
    ['url bare word', { type: 'url' }, 'test', 'validation_invalid_url'],
    ['url spaces', { type: 'url' }, 'https://exa mple.com', 'validation_invalid_url'],
    ['url unknown scheme', { type: 'url' }, 'javascript://alert(1)', 'validation_invalid_url'],
    ['url onlyDomains', { type: 'url', onlyDomains: ['example.com'] }, 'https://other.com', 'validation_url_domain_not_allowed'],
    ['url onlyDomains ok', { type: 'url', onlyDomains: ['example.com'] }, 'https://example.com/x', null],
    ['url exceptDomains', { type: 'url', exceptDomains: ['example.com'] }, 'https://example.com', 'validation_url_domain_not_allowed'],
    // editor
    ['editor required', { type: 'editor', required: true }, '', 'validation_required'],
    ['editor maxSize bytes', { type: 'editor', maxSize: 4 }, 'ééé', 'validation_content_size_limit'],
    ['editor ok', { type: 'editor', maxSize: 10 }, '<p>x</p>', null],
    // date
    ['date ok', { type: 'date' }, '2024-01-01 00:00:00.000Z', null],
    ['date required junk', { type: 'date', required: true }, 'junk', 'validation_required'],
    ['date min', { type: 'date', min: '2024-01-01' }, '2023-12-31', 'validation_min_greater_equal_than_required'],
    ['date max', { type: 'date', max: '2024-01-01' }, '2024-01-02', 'validation_max_less_equal_than_required'],
    ['date within', { type: 'date', min: '2024-01-01', max: '2024-12-31' }, '2024-06-01', null],
    // autodate
    ['autodate never errors', { type: 'autodate', onCreate: true }, 'junk', null],
    // select
    ['select ok', { type: 'select', values: ['a', 'b'] }, 'a', null],
    ['select invalid value', { type: 'select', values: ['a', 'b'] }, 'c', 'validation_invalid_value'],
    ['select required', { type: 'select', values: ['a'], required: true }, '', 'validation_required'],
    ['select too many', { type: 'select', values: ['a', 'b', 'c'], maxSelect: 2 }, ['a', 'b', 'c'], 'validation_too_many_values'],
    ['select multiple ok', { type: 'select', values: ['a', 'b', 'c'], maxSelect: 2 }, ['a', 'c'], null],
    // relation
    ['relation ok', { type: 'relation', collectionId: 'users_col' }, 'u1', null],
    ['relation missing id', { type: 'relation', collectionId: 'users_col' }, 'invalid', 'validation_missing_rel_records'],
    ['relation some missing', { type: 'relation', collectionId: 'users_col', maxSelect: 5 }, ['u1', 'zz'], 'validation_missing_rel_records'],
    ['relation required', { type: 'relation', collectionId: 'users_col', required: true }, [], 'validation_required'],
    ['relation minSelect', { type: 'relation', collectionId: 'users_col', minSelect: 2, maxSelect: 5 }, ['u1'], 'validation_not_enough_values'],
    ['relation maxSelect', { type: 'relation', collectionId: 'users_col', maxSelect: 2 }, ['u1', 'u2', 'u3'], 'validation_too_many_values'],
    ['relation missing collection', { type: 'relation', collectionId: 'gone' }, 'u1', 'validation_missing_rel_collection'],
    // json
    ['json ok', { type: 'json' }, { a: 1 }, null],
    ['json required null', { type: 'json', required: true }, null, 'validation_required'],
    ['json required []', { type: 'json', required: true }, '[]', 'validation_required'],
    ['json required {}', { type: 'json', required: true }, {}, 'validation_required'],
    ['json required ""', { type: 'json', required: true }, '', 'validation_required'],
    ['json required 0 is a value', { type: 'json', required: true }, 0, null],
    ['json maxSize', { type: 'json', maxSize: 5 }, [1, 2, 3], 'validation_json_size_limit'],
    ['json bigint is invalid', { type: 'json' }, 10n, 'validation_invalid_json'],
    // password
    ['password ok', { type: 'password', min: 8 }, '1234567890', null],
    ['password required', { type: 'password', required: true }, '', 'validation_required'],
    ['password min', { type: 'password', min: 8 }, '1234567', 'validation_min_text_constraint'],
    ['password default max 71', { type: 'password' }, 'a'.repeat(72), 'validation_max_text_constraint'],
    ['password pattern', { type: 'password', pattern: '\\d' }, 'abcdefgh', 'validation_invalid_format'],
    ['password stored hash satisfies required', { type: 'password', required: true, min: 8 }, '$2a$13$uULN32dHTkWQIALJP1N54.22HW/K9/qkXqcmsfz2hOA1wGeuUDbfG', null],
    // geoPoint
    ['geoPoint ok', { type: 'geoPoint' }, { lon: 23.33, lat: 42.65 }, null],
    ['geoPoint required zero', { type: 'geoPoint', required: true }, {}, 'validation_required'],
    ['geoPoint latitude', { type: 'geoPoint' }, { lon: 0, lat: 91 }, 'validation_invalid_latitude'],
    ['geoPoint longitude', { type: 'geoPoint' }, { lon: -181, lat: 0 }, 'validation_invalid_longitude'],
    // file
    ['file new plain name', { type: 'file' }, 'invalid', 'validation_invalid_file'],
    ['file required', { type: 'file', required: true }, [], 'validation_required'],
    ['file upload ok', { type: 'file' }, { name: 'a_x1.txt', originalName: 'a.txt', size: 10 }, null],
    ['file upload too big', { type: 'file', maxSize: 5 }, { name: 'a_x1.txt', originalName: 'a.txt', size: 10 }, 'validation_file_size_limit'],
    ['file upload bad name', { type: 'file' }, { name: '.hidden', originalName: '.hidden', size: 1 }, 'validation_match_invalid'],
    ['file upload mime', { type: 'file', mimeTypes: ['image/png'] }, { name: 'a.txt', originalName: 'a.txt', size: 1, mimeType: 'text/plain' }, 'validation_invalid_mime_type'],
    ['file upload mime ok', { type: 'file', mimeTypes: ['image/png'] }, { name: 'a.png', originalName: 'a.png', size: 1, mimeType: 'image/png' }, null],
  ])('%s', async (_name, raw, input, expected) => {
    expect(await code(raw, input)).toBe(expected);
  });

  it('messages and params match PocketBase', async () => {
    const f = field({ type: 'text', min: 3 });
    expect(await impl(f).validateValue('ab', f, vctx())).toEqual({
      code: 'validation_min_text_constraint',
      message: 'Must be at least 3 character(s).',
      params: { min: 3 },
    });
    const r = field({ type: 'text', required: true });
    expect(await impl(r).validateValue('', r, vctx())).toEqual({ code: 'validation_required', message: 'Cannot be blank.' });
    const n = field({ type: 'number', min: 5 });
    expect((await impl(n).validateValue(1, n, vctx()))?.message).toBe('Must be larger than 5.000000.');
    const d = field({ type: 'date', min: '2024-01-01' });
    expect((await impl(d).validateValue('2023-01-01 00:00:00.000Z', d, vctx()))?.message).toBe(
      'Must be no less than 2024-01-01 00:00:00 +0000 UTC.',
    );
    const s = field({ type: 'select', values: ['a'] });
    expect(await impl(s).validateValue('zz', s, vctx())).toEqual({ code: 'validation_invalid_value', message: 'Invalid value zz.', params: { value: 'zz' } });
    const fl = field({ type: 'file' });
    expect((await impl(fl).validateValue('x.txt', fl, vctx()))?.message).toBe('Invalid new files: [x.txt].');
  });

  it('file: names already on the record are accepted, new plain names are not', async () => {
    const f = field({ type: 'file', maxSelect: 3 });
    const c = vctx({ isNew: false, original: { f: ['a.txt', 'b.txt'] } });
    expect(await impl(f).validateValue(['a.txt', 'b.txt'], f, c)).toBeNull();
    expect((await impl(f).validateValue(['a.txt', 'new.txt'], f, c))?.code).toBe('validation_invalid_file');
    expect((await impl(f).validateValue(['a.txt', 'b.txt', { name: 'c.txt', originalName: 'c.txt', size: 1 }, { name: 'd.txt', originalName: 'd.txt', size: 1 }], f, c))?.code).toBe(
      'validation_too_many_files',
    );
  });

  describe('primary key (the id field)', () => {
    const id = { type: 'text', name: 'id', primaryKey: true, required: true, min: 15, max: 15, pattern: '^[a-z0-9]+$', autogeneratePattern: '[a-z0-9]{15}' };
    it.each<[unknown, string | null]>([
      ['12345678901234', 'validation_min_text_constraint'],
      ['1234567890123456', 'validation_max_text_constraint'],
      ['123456789012345', null],
      ['ABCDEFGHIJKLMNO', 'validation_invalid_format'],
    ])('create with id %j', async (value, expected) => {
      expect(await code(id, value)).toBe(expected);
    });

    it('cannot change on update, and a stored id is not re-validated', async () => {
      const f = field(id);
      const c = vctx({ isNew: false, original: { id: 'OLD_ID' } });
      expect((await impl(f).validateValue('other', f, c))?.code).toBe('validation_pk_change');
      expect(await impl(f).validateValue('OLD_ID', f, c)).toBeNull();
    });

    it('custom pk patterns reject forbidden characters, reserved names and duplicates', async () => {
      const custom = { ...id, min: 0, max: 0, pattern: '.+' };
      expect(await code(custom, 'a/b')).toBe('validation_forbidden_pk_character');
      expect(await code(custom, 'con')).toBe('validation_reserved_pk');
      expect(await code(custom, 'dup', vctx({ recordsExist: async () => ['dup'] }))).toBe('validation_pk_invalid');
      expect(await code(custom, 'fresh')).toBeNull();
    });
  });
});

describe('fromDb / toDb', () => {
  it.each<[string, Record<string, unknown>, unknown, unknown]>([
    ['text null', { type: 'text' }, null, ''],
    ['number text from PG numeric', { type: 'number' }, '123456.0', 123456],
    ['number null', { type: 'number' }, null, 0],
    ['bool 1', { type: 'bool' }, 1, true],
    ['bool 0', { type: 'bool' }, 0, false],
    ['bool PG', { type: 'bool' }, true, true],
    ['date stored', { type: 'date' }, '2022-10-01 12:00:00.000Z', '2022-10-01 12:00:00.000Z'],
    ['date empty', { type: 'date' }, '', ''],
    ['date null', { type: 'date' }, null, ''],
    ['select multiple JSON text', { type: 'select', maxSelect: 3, values: ['optionB', 'optionC'] }, '["optionB","optionC"]', ['optionB', 'optionC']],
    ['select multiple empty', { type: 'select', maxSelect: 3 }, '[]', []],
    ['select multiple from a legacy single value', { type: 'select', maxSelect: 3 }, 'optionB', ['optionB']],
    ['relation single', { type: 'relation' }, '84nmscqy84lsi1t', '84nmscqy84lsi1t'],
    ['relation single from array text keeps last', { type: 'relation' }, '["a","b"]', 'b'],
    ['relation multiple from driver array', { type: 'relation', maxSelect: 9 }, ['a', 'b'], ['a', 'b']],
    ['file multiple', { type: 'file', maxSelect: 5 }, '["test_QZFjKjXchk.txt","300_WlbFWSGmW9.png"]', ['test_QZFjKjXchk.txt', '300_WlbFWSGmW9.png']],
    ['json pretty text', { type: 'json' }, '[\n  1,\n  2,\n  3\n]', [1, 2, 3]],
    ['json null text', { type: 'json' }, 'null', null],
    ['json SQL NULL', { type: 'json' }, null, null],
    ['json empty text', { type: 'json' }, '', null],
    ['json invalid text', { type: 'json' }, '{oops', '{oops'],
    ['json driver object', { type: 'json' }, { a: 1 }, { a: 1 }],
    ['geoPoint', { type: 'geoPoint' }, '{"lon":23.333157,"lat":42.654318}', { lon: 23.333157, lat: 42.654318 }],
    ['geoPoint default', { type: 'geoPoint' }, '{"lat":0,"lon":0}', { lon: 0, lat: 0 }],
    ['password is write-only', { type: 'password' }, '$2a$13$uULN32dHTkWQIALJP1N54.22HW/K9/qkXqcmsfz2hOA1wGeuUDbfG', ''],
  ])('fromDb %s', (_name, raw, input, expected) => {
    const f = field(raw);
    expect(impl(f).fromDb(input, f)).toEqual(expected);
  });

  it.each<[string, Record<string, unknown>, unknown, unknown]>([
    ['text', { type: 'text' }, 'x', 'x'],
    ['number', { type: 'number' }, 1.5, 1.5],
    ['bool', { type: 'bool' }, true, true],
    ['date', { type: 'date' }, '', ''],
    ['select single', { type: 'select' }, 'a', 'a'],
    ['select multiple', { type: 'select', maxSelect: 2 }, ['a', 'b'], '["a","b"]'],
    ['relation multiple empty', { type: 'relation', maxSelect: 2 }, [], '[]'],
    ['file multiple with an upload', { type: 'file', maxSelect: 2 }, ['a.txt', { name: 'b_x.txt', originalName: 'b.txt', size: 1 }], '["a.txt","b_x.txt"]'],
    ['file single', { type: 'file' }, '', ''],
    ['json null', { type: 'json' }, null, 'null'],
    ['json object', { type: 'json' }, { a: [1] }, '{"a":[1]}'],
    ['json string', { type: 'json' }, 'x', '"x"'],
    ['geoPoint', { type: 'geoPoint' }, { lon: 1, lat: 2 }, '{"lon":1,"lat":2}'],
    ['password hash', { type: 'password' }, '$2a$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234', '$2a$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234'],
  ])('toDb %s', (_name, raw, value, expected) => {
    const f = field(raw);
    expect(impl(f).toDb(value, f)).toEqual(expected);
  });

  it('toDb refuses a plain password', () => {
    const f = field({ type: 'password' });
    expect(() => impl(f).toDb('secret123', f)).toThrow(/hashed/);
  });

  it('zero values', () => {
    const zero = (raw: Record<string, unknown>) => {
      const f = field(raw);
      return impl(f).zeroValue(f);
    };
    expect(zero({ type: 'text' })).toBe('');
    expect(zero({ type: 'number' })).toBe(0);
    expect(zero({ type: 'bool' })).toBe(false);
    expect(zero({ type: 'select' })).toBe('');
    expect(zero({ type: 'select', maxSelect: 2 })).toEqual([]);
    expect(zero({ type: 'file', maxSelect: 2 })).toEqual([]);
    expect(zero({ type: 'json' })).toBeNull();
    expect(zero({ type: 'geoPoint' })).toEqual({ lon: 0, lat: 0 });
    expect(zero({ type: 'date' })).toBe('');
  });
});

describe('applyModifier', () => {
  it.each<[string, Record<string, unknown>, unknown, Modifier, unknown, unknown]>([
    ['number add', { type: 'number' }, 10, 'append', '5', 15],
    ['number subtract', { type: 'number' }, 10, 'subtract', 2.5, 7.5],
    ['number add junk', { type: 'number' }, 10, 'append', 'x', 10],
    ['select append', { type: 'select', maxSelect: 3 }, ['a'], 'append', ['b', 'a'], ['a', 'b']],
    ['select prepend', { type: 'select', maxSelect: 3 }, ['a'], 'prepend', 'b', ['b', 'a']],
    ['select subtract', { type: 'select', maxSelect: 3 }, ['a', 'b', 'c'], 'subtract', ['a', 'c'], ['b']],
    ['select single append replaces', { type: 'select' }, 'a', 'append', 'b', 'b'],
    ['select single subtract', { type: 'select' }, 'a', 'subtract', 'a', ''],
    ['relation append from JSON text current', { type: 'relation', maxSelect: 5 }, '["u1"]', 'append', 'u2', ['u1', 'u2']],
    ['relation prepend to empty', { type: 'relation', maxSelect: 5 }, [], 'prepend', ['u1', 'u2'], ['u1', 'u2']],
    ['file subtract', { type: 'file', maxSelect: 5 }, ['a.txt', 'b.txt'], 'subtract', 'a.txt', ['b.txt']],
    ['file append upload', { type: 'file', maxSelect: 5 }, ['a.txt'], 'append', { name: 'n.txt', originalName: 'n.txt', size: 1 }, ['a.txt', { name: 'n.txt', originalName: 'n.txt', size: 1 }]],
  ])('%s', (_name, raw, current, modifier, arg, expected) => {
    const f = field(raw);
    expect(impl(f).supportsModifier(modifier, f)).toBe(true);
    expect(impl(f).applyModifier(current, modifier, arg, f)).toEqual(expected);
  });

  it('text :autogenerate appends a generated value to the given prefix', () => {
    const f = field({ type: 'text', autogeneratePattern: '[0-9]{4}' });
    expect(impl(f).applyModifier('', 'autogenerate', 'abc-', f)).toMatch(/^abc-\d{4}$/);
  });

  it.each<[string, Modifier]>([
    ['number', 'prepend'],
    ['text', 'append'],
    ['bool', 'append'],
    ['json', 'append'],
    ['date', 'subtract'],
  ])('%s does not support %s', (type, modifier) => {
    const f = field({ type });
    expect(impl(f).supportsModifier(modifier, f)).toBe(false);
  });
});

describe('server-set values', () => {
  const fields = [
    field({ type: 'text', id: 'i', name: 'id', primaryKey: true, required: true, pattern: '^[a-z0-9]+$', autogeneratePattern: '[a-z0-9]{15}' }),
    field({ type: 'text', id: 'u', name: 'username', autogeneratePattern: 'users[0-9]{5}' }),
    field({ type: 'autodate', id: 'c', name: 'created', onCreate: true }),
    field({ type: 'autodate', id: 'up', name: 'updated', onCreate: true, onUpdate: true }),
    field({ type: 'text', id: 't', name: 'title' }),
  ];
  const now = new Date(Date.UTC(2024, 4, 6, 7, 8, 9, 10));

  it('on create: ids, autogenerated text and both dates', () => {
    const data = applyAutoValues(fields, { username: 'kept' }, 'create', now);
    expect(data.id).toMatch(/^[a-z0-9]{15}$/);
    expect(data.username).toBe('kept');
    expect(data.created).toBe('2024-05-06 07:08:09.010Z');
    expect(data.updated).toBe('2024-05-06 07:08:09.010Z');
    expect(data).not.toHaveProperty('title');
    expect(applyAutoValues(fields, {}, 'create', now).username).toMatch(/^users\d{5}$/);
  });

  it('on update: only onUpdate dates', () => {
    const data = applyAutoValues(fields, { id: 'x', created: 'c', updated: 'u' }, 'update', now);
    expect(data).toEqual({ id: 'x', created: 'c', updated: '2024-05-06 07:08:09.010Z' });
  });

  it('autodate ignores body input', () => {
    expect(getFieldType('autodate')!.ignoresInput).toBe(true);
    expect(getFieldType('text')!.ignoresInput).toBe(false);
  });
});
