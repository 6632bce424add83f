import { describe, expect, it } from 'vitest';
import { blankCollection } from '../../../src/core/collections/collection-factory.js';
import type { CollectionModel, FieldModel } from '../../../src/core/collections/collection-model.js';
import { PlinthError } from '../../../src/core/errors/plinth-error.js';
import {
  FIELD_TYPES,
  FIELD_TYPE_NAMES,
  getFieldType,
  isFieldType,
  normalizeField,
} from '../../../src/core/fields/field-registry.js';
import type { FieldOptionsContext } from '../../../src/core/fields/field-type.js';

function collection(over: Partial<CollectionModel> = {}): CollectionModel {
  return blankCollection({ id: 'col_demo', name: 'demo', ...over });
}

const others = [
  collection({ id: 'users_col', name: 'users', type: 'auth' }),
  collection({ id: 'view_col', name: 'view1', type: 'view' }),
];

function ctx(over: Partial<FieldOptionsContext> = {}, fields: FieldModel[] = []): FieldOptionsContext {
  return {
    collection: collection({ fields }),
    oldCollection: null,
    findCollection: (nameOrId) => others.find((c) => c.id === nameOrId || c.name === nameOrId),
    ...over,
  };
}

/** Normalise then validate a field definition; returns the error codes by option key. */
function optionCodes(raw: Record<string, unknown>, c?: FieldOptionsContext): Record<string, unknown> | null {
  const field = normalizeField({ id: 'f1', name: 'f', ...raw });
  const result = getFieldType(field.type)!.validateOptions(field, c ?? ctx({}, [field]));
  if (!result) return null;
  return JSON.parse(JSON.stringify(result), (key, value: unknown) =>
    value && typeof value === 'object' && 'code' in value ? (value as { code: string }).code : value,
  ) as Record<string, unknown>;
}

describe('registry', () => {
  it('holds the 14 PocketBase field types', () => {
    expect(FIELD_TYPE_NAMES.sort()).toEqual(
      ['autodate', 'bool', 'date', 'editor', 'email', 'file', 'geoPoint', 'json', 'number', 'password', 'relation', 'select', 'text', 'url'].sort(),
    );
    for (const [name, impl] of Object.entries(FIELD_TYPES)) expect(impl.type).toBe(name);
    expect(isFieldType('text')).toBe(true);
    expect(isFieldType('toString')).toBe(false);
    expect(getFieldType('nope')).toBeUndefined();
  });

  it('normalizeField rejects unknown types as PocketBase does', () => {
    expect(() => normalizeField({ type: 'nope', name: 'x' })).toThrow(PlinthError);
    expect(() => normalizeField('junk')).toThrow('Failed to load the submitted data due to invalid formatting.');
  });
});

describe('defaults and normalisation', () => {
  it('a new text field gets every option key, alphabetically', () => {
    expect(JSON.stringify(normalizeField({ type: 'text', name: 'x' }))).toBe(
      '{"autogeneratePattern":"","help":"","hidden":false,"id":"","max":0,"min":0,"name":"x","pattern":"","presentable":false,"primaryKey":false,"required":false,"system":false,"type":"text"}',
    );
  });

  it.each([
    ['number', '{"help":"","hidden":false,"id":"","max":null,"min":null,"name":"","onlyInt":false,"presentable":false,"required":false,"system":false,"type":"number"}'],
    ['bool', '{"help":"","hidden":false,"id":"","name":"","presentable":false,"required":false,"system":false,"type":"bool"}'],
    ['email', '{"exceptDomains":null,"help":"","hidden":false,"id":"","name":"","onlyDomains":null,"presentable":false,"required":false,"system":false,"type":"email"}'],
    ['url', '{"exceptDomains":null,"help":"","hidden":false,"id":"","name":"","onlyDomains":null,"presentable":false,"required":false,"system":false,"type":"url"}'],
    ['editor', '{"convertURLs":false,"help":"","hidden":false,"id":"","maxSize":0,"name":"","presentable":false,"required":false,"system":false,"type":"editor"}'],
    ['date', '{"help":"","hidden":false,"id":"","max":"","min":"","name":"","presentable":false,"required":false,"system":false,"type":"date"}'],
    ['autodate', '{"hidden":false,"id":"","name":"","onCreate":false,"onUpdate":false,"presentable":false,"system":false,"type":"autodate"}'],
    ['select', '{"help":"","hidden":false,"id":"","maxSelect":0,"name":"","presentable":false,"required":false,"system":false,"type":"select","values":null}'],
    ['file', '{"help":"","hidden":false,"id":"","maxSelect":0,"maxSize":0,"mimeTypes":null,"name":"","presentable":false,"protected":false,"required":false,"system":false,"thumbs":null,"type":"file"}'],
    ['relation', '{"cascadeDelete":false,"collectionId":"","help":"","hidden":false,"id":"","maxSelect":0,"minSelect":0,"name":"","presentable":false,"required":false,"system":false,"type":"relation"}'],
    ['json', '{"help":"","hidden":false,"id":"","maxSize":0,"name":"","presentable":false,"required":false,"system":false,"type":"json"}'],
    ['password', '{"cost":0,"help":"","hidden":false,"id":"","max":0,"min":0,"name":"","pattern":"","presentable":false,"required":false,"system":false,"type":"password"}'],
    ['geoPoint', '{"help":"","hidden":false,"id":"","name":"","presentable":false,"required":false,"system":false,"type":"geoPoint"}'],
  ])('defaults of %s', (type, json) => {
    expect(JSON.stringify(getFieldType(type)!.defaults())).toBe(json);
    expect(JSON.stringify(normalizeField({ type }))).toBe(json);
  });

  // field definitions exactly as the PocketBase v0.39 fixture stores them in _collections.fields
  it.each([
    '{"autogeneratePattern":"[a-z0-9]{15}","help":"","hidden":false,"id":"_pbf_text_id_","max":15,"min":15,"name":"id","pattern":"^[a-z0-9]+$","presentable":false,"primaryKey":true,"required":true,"system":true,"type":"text"}',
    '{"cost":10,"help":"","hidden":true,"id":"_pbf_auth_password_","max":0,"min":8,"name":"password","pattern":"","presentable":false,"required":true,"system":true,"type":"password"}',
    '{"exceptDomains":null,"help":"","hidden":false,"id":"_pbf_auth_email_","name":"email","onlyDomains":null,"presentable":false,"required":false,"system":true,"type":"email"}',
    '{"help":"","hidden":false,"id":"users_avatar","maxSelect":1,"maxSize":5242880,"mimeTypes":["image/jpg","image/jpeg","image/png","image/svg+xml","image/gif"],"name":"avatar","presentable":false,"protected":false,"required":false,"system":false,"thumbs":["70x50","70x50t","70x50b","70x50f","0x50","70x0"],"type":"file"}',
    '{"cascadeDelete":false,"collectionId":"sz5l5z67tg7gku0","help":"","hidden":false,"id":"lkeigvv3","maxSelect":1,"minSelect":0,"name":"rel","presentable":false,"required":false,"system":false,"type":"relation"}',
    '{"hidden":false,"id":"_pbf_autodate_updated_","name":"updated","onCreate":true,"onUpdate":true,"presentable":false,"system":false,"type":"autodate"}',
    '{"help":"","hidden":false,"id":"owtlq7zl","maxSelect":3,"name":"select_many","presentable":false,"required":false,"system":false,"type":"select","values":["optionA","optionB","optionC"]}',
    '{"help":"","hidden":false,"id":"1z1ld0i5","max":null,"min":null,"name":"number","onlyInt":false,"presentable":false,"required":false,"system":false,"type":"number"}',
    '{"help":"","hidden":false,"id":"ro6p02gk","max":"","min":"","name":"datetime","presentable":false,"required":false,"system":false,"type":"date"}',
    '{"help":"","hidden":false,"id":"ei2fg4v1","maxSize":5242880,"name":"json","presentable":false,"required":false,"system":false,"type":"json"}',
    '{"help":"","hidden":false,"id":"geoPoint3081106212","name":"point","presentable":false,"required":false,"system":false,"type":"geoPoint"}',
  ])('round-trips the fixture definition %#', (json) => {
    expect(JSON.stringify(normalizeField(JSON.parse(json)))).toBe(json);
  });

  it('drops unknown keys, coerces wrong types to defaults and keeps valid ones', () => {
    const f = normalizeField({ type: 'text', name: 'x', bogus: 1, min: '5', max: 10.7, required: 'yes', pattern: 3 });
    expect(f).not.toHaveProperty('bogus');
    expect(f.min).toBe(0);
    expect(f.max).toBe(10);
    expect(f.required).toBe(false);
    expect(f.pattern).toBe('');
    const s = normalizeField({ type: 'select', values: ['a', 2, 'b'] });
    expect(s.values).toEqual(['a', 'b']);
  });

  it('normalises date bounds to the PocketBase layout', () => {
    const f = normalizeField({ type: 'date', min: '2024-01-02', max: 'junk' });
    expect(f.min).toBe('2024-01-02 00:00:00.000Z');
    expect(f.max).toBe('');
  });
});

describe('validateOptions', () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown> | null]>([
    // common id/name checks
    ['valid text', { type: 'text' }, null],
    ['missing name', { type: 'text', name: '' }, { name: 'validation_required' }],
    ['missing id', { type: 'bool', id: '' }, { id: 'validation_required' }],
    ['name with spaces', { type: 'text', name: 'a b' }, { name: 'validation_match_invalid' }],
    ['reserved name', { type: 'text', name: 'expand' }, { name: 'validation_not_in_invalid' }],
    ['name with _via_', { type: 'text', name: 'a_via_b' }, { name: 'validation_found_via' }],
    ['name too long', { type: 'text', name: 'a'.repeat(101) }, { name: 'validation_length_out_of_range' }],
    // text
    ['text min > max', { type: 'text', min: 10, max: 5 }, { max: 'validation_min_greater_equal_than_required' }],
    ['text max 0 means default', { type: 'text', min: 10, max: 0 }, null],
    ['text negative min', { type: 'text', min: -1 }, { min: 'validation_min_greater_equal_than_required' }],
    ['text bad pattern', { type: 'text', pattern: '[a-z' }, { pattern: 'validation_invalid_regex' }],
    ['text bad autogenerate', { type: 'text', autogeneratePattern: 'a\\q' }, { autogeneratePattern: 'validation_invalid_autogenerate_pattern' }],
    // RE2 (Go, PocketBase) has no lookarounds or backreferences: not a valid regex at all
    ['text lookahead autogenerate', { type: 'text', autogeneratePattern: '(?=a)' }, { autogeneratePattern: 'validation_invalid_regex' }],
    ['text backreference pattern', { type: 'text', pattern: '(a)\\1' }, { pattern: 'validation_invalid_regex' }],
    ['text autogenerate too long for max', { type: 'text', max: 5, autogeneratePattern: '[a-z]{10}' }, { autogeneratePattern: 'validation_invalid_autogenerate_pattern_value' }],
    ['pk valid', { type: 'text', name: 'id', primaryKey: true, required: true, pattern: '^[a-z0-9]+$' }, null],
    ['pk misnamed, no pattern, not required, hidden', { type: 'text', name: 'x', primaryKey: true, hidden: true }, { name: 'validation_in_invalid', pattern: 'validation_required', required: 'validation_required', hidden: 'validation_empty' }],
    // number
    ['number min > max', { type: 'number', min: 10, max: 5 }, { max: 'validation_min_greater_equal_than_required' }],
    ['number decimals with onlyInt', { type: 'number', onlyInt: true, min: 1.5, max: 2.5 }, { min: 'validation_only_int_constraint', max: 'validation_only_int_constraint' }],
    ['number no bounds', { type: 'number', min: null, max: null }, null],
    // email / url
    ['email both lists', { type: 'email', onlyDomains: ['a.com'], exceptDomains: ['b.com'] }, { onlyDomains: 'validation_empty', exceptDomains: 'validation_empty' }],
    ['email bad domain', { type: 'email', onlyDomains: ['a.com', 'not a domain'] }, { onlyDomains: { '1': 'validation_is_domain' } }],
    ['url ok', { type: 'url', exceptDomains: ['example.com'] }, null],
    // editor / json / file sizes
    ['editor negative maxSize', { type: 'editor', maxSize: -1 }, { maxSize: 'validation_min_greater_equal_than_required' }],
    ['json too big maxSize', { type: 'json', maxSize: 2 ** 60 }, { maxSize: 'validation_max_less_equal_than_required' }],
    ['file bad thumbs', { type: 'file', thumbs: ['100x100', '0x0', 'big'] }, { thumbs: { '1': 'validation_not_in_invalid', '2': 'validation_match_invalid' } }],
    ['file negative maxSelect', { type: 'file', maxSelect: -2, maxSize: -1 }, { maxSelect: 'validation_min_greater_equal_than_required', maxSize: 'validation_min_greater_equal_than_required' }],
    // date
    ['date max before min', { type: 'date', min: '2024-02-01', max: '2024-01-01' }, { max: 'validation_date_out_of_range' }],
    ['date range ok', { type: 'date', min: '2024-01-01', max: '2024-02-01' }, null],
    // autodate
    ['autodate neither', { type: 'autodate' }, { onCreate: 'validation_required', onUpdate: 'validation_required' }],
    ['autodate onUpdate only', { type: 'autodate', onUpdate: true }, null],
    // select
    ['select without values', { type: 'select' }, { values: 'validation_required' }],
    ['select maxSelect over values', { type: 'select', values: ['a', 'b'], maxSelect: 3 }, { maxSelect: 'validation_max_less_equal_than_required' }],
    ['select ok', { type: 'select', values: ['a', 'b'], maxSelect: 2 }, null],
    // relation
    ['relation without collection', { type: 'relation' }, { collectionId: 'validation_required' }],
    ['relation to missing collection', { type: 'relation', collectionId: 'nope' }, { collectionId: 'validation_field_relation_missing_collection' }],
    ['relation by name instead of id', { type: 'relation', collectionId: 'users' }, { collectionId: 'validation_field_relation_missing_collection' }],
    ['relation to a view', { type: 'relation', collectionId: 'view_col' }, { collectionId: 'validation_relation_field_non_view_base_collection' }],
    ['relation ok', { type: 'relation', collectionId: 'users_col', maxSelect: 3 }, null],
    ['self relation', { type: 'relation', collectionId: 'col_demo' }, null],
    ['relation minSelect without maxSelect', { type: 'relation', collectionId: 'users_col', minSelect: 2 }, { maxSelect: 'validation_required' }],
    ['relation maxSelect < minSelect', { type: 'relation', collectionId: 'users_col', minSelect: 3, maxSelect: 2 }, { maxSelect: 'validation_min_greater_equal_than_required' }],
    // password
    ['password bounds', { type: 'password', min: 80, max: 90, cost: 40 }, { min: 'validation_max_less_equal_than_required', max: 'validation_max_less_equal_than_required', cost: 'validation_max_less_equal_than_required' }],
    ['password max below min', { type: 'password', min: 10, max: 9 }, { max: 'validation_min_greater_equal_than_required' }],
    ['password low cost', { type: 'password', cost: 3 }, { cost: 'validation_min_greater_equal_than_required' }],
    ['password bad pattern', { type: 'password', pattern: '(' }, { pattern: 'validation_invalid_regex' }],
    ['geoPoint ok', { type: 'geoPoint' }, null],
  ])('%s', (_name, raw, expected) => {
    expect(optionCodes(raw)).toEqual(expected);
  });

  it('rejects a second primary key', () => {
    const pk1 = normalizeField({ type: 'text', id: 'a', name: 'id', primaryKey: true, required: true, pattern: '^x$' });
    const pk2 = normalizeField({ type: 'text', id: 'b', name: 'id', primaryKey: true, required: true, pattern: '^x$' });
    const result = getFieldType('text')!.validateOptions(pk2, ctx({}, [pk1, pk2]));
    expect(result?.primaryKey).toMatchObject({ code: 'validation_unsupported_composite_pk' });
  });

  it('a relation cannot change its collection', () => {
    const old = normalizeField({ type: 'relation', id: 'r1', name: 'r', collectionId: 'users_col' });
    const next = normalizeField({ type: 'relation', id: 'r1', name: 'r', collectionId: 'col_demo' });
    const c = ctx({ oldCollection: collection({ fields: [old] }) }, [next]);
    expect(getFieldType('relation')!.validateOptions(next, c)?.collectionId).toMatchObject({ code: 'validation_field_relation_change' });
  });

  it('a system autodate keeps its onCreate/onUpdate', () => {
    const old = normalizeField({ type: 'autodate', id: 'u', name: 'updated', system: true, onCreate: true, onUpdate: true });
    const next = normalizeField({ type: 'autodate', id: 'u', name: 'updated', system: true, onCreate: true, onUpdate: false });
    const c = ctx({ oldCollection: collection({ fields: [old] }) }, [next]);
    expect(getFieldType('autodate')!.validateOptions(next, c)).toEqual({
      onUpdate: { code: 'validation_values_mismatch', message: "Values don't match." },
    });
  });

  it('messages are PocketBase sentences', () => {
    const f = normalizeField({ type: 'text', id: 'x', name: '' });
    expect(getFieldType('text')!.validateOptions(f, ctx())).toEqual({ name: { code: 'validation_required', message: 'Cannot be blank.' } });
  });
});

describe('columns', () => {
  const col = (raw: Record<string, unknown>) => {
    const f = normalizeField(raw);
    const impl = getFieldType(f.type)!;
    return { kind: impl.columnKind(f), spec: impl.columnDefault(f), multiple: impl.isMultiple(f) };
  };

  it.each<[Record<string, unknown>, string, boolean, string | number | boolean | null, boolean]>([
    [{ type: 'text' }, 'text', true, '', false],
    [{ type: 'number' }, 'number', true, 0, false],
    [{ type: 'bool' }, 'bool', true, false, false],
    [{ type: 'email' }, 'text', true, '', false],
    [{ type: 'url' }, 'text', true, '', false],
    [{ type: 'editor' }, 'text', true, '', false],
    [{ type: 'date' }, 'text', true, '', false],
    [{ type: 'autodate' }, 'text', true, '', false],
    [{ type: 'password' }, 'text', true, '', false],
    [{ type: 'select', maxSelect: 1 }, 'text', true, '', false],
    [{ type: 'select', maxSelect: 2 }, 'json', true, '[]', true],
    [{ type: 'relation', maxSelect: 5 }, 'json', true, '[]', true],
    [{ type: 'file' }, 'text', true, '', false],
    [{ type: 'file', maxSelect: 99 }, 'json', true, '[]', true],
    [{ type: 'json' }, 'json', false, null, false],
    [{ type: 'geoPoint' }, 'json', true, '{"lon":0,"lat":0}', false],
  ])('%j', (raw, kind, notNull, defaultValue, multiple) => {
    const c = col(raw);
    expect(c.kind).toBe(kind);
    expect(c.spec).toEqual({ kind, notNull, defaultValue, primaryKey: false });
    expect(c.multiple).toBe(multiple);
  });

  it('the primary key column', () => {
    expect(col({ type: 'text', name: 'id', primaryKey: true }).spec).toEqual({ kind: 'text', notNull: true, defaultValue: null, primaryKey: true });
  });
});
