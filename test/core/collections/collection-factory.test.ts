import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blankCollection, newCollection, newField, storedField } from '../../../src/core/collections/collection-factory.js';
import type { FieldModel } from '../../../src/core/collections/collection-model.js';
import { fieldToJSON } from '../../../src/core/collections/collection-serializer.js';
import { PlinthError } from '../../../src/core/errors/plinth-error.js';
import { fieldColumn } from '../../../src/core/fields/field-registry.js';
import { rowToCollection, type CollectionRow } from '../../../src/store/collections/collection-rows.js';
import { fixtureDir } from '../../helpers/paths.js';
import { requireShared } from '../../helpers/requirements.js';

const hasShared = requireShared('collection fields round trip');

describe('collection fields through the field registry', () => {
  it('newField fills PocketBase\'s default id (type + crc32(name)) and keeps a given one', () => {
    expect(newField({ type: 'text', name: 'id' }).id).toBe('text3208210256');
    expect(newField({ type: 'geoPoint', name: 'point' }).id).toBe('geoPoint3081106212');
    expect(newField({ type: 'text', name: 'x', id: 'mine' }).id).toBe('mine');
  });

  it('newField rejects an unknown type with PocketBase\'s 400', () => {
    expect(() => newField({ type: 'nope', name: 'x' })).toThrow(PlinthError);
    expect(() => newField({ type: 'nope', name: 'x' })).toThrow('Failed to load the submitted data due to invalid formatting.');
  });

  it('storedField keeps a field of an unknown type as stored, with a text column', () => {
    const raw = { id: 'f1', name: 'future', type: 'vector', system: false, hidden: false, presentable: false, dims: 3 };
    const field = storedField(raw);
    expect(field).toEqual(raw);
    expect(field).not.toBe(raw);
    expect(fieldColumn(field)).toEqual({ kind: 'text', notNull: true, defaultValue: '', primaryKey: false });
  });

  it('blankCollection and newCollection share one shape', () => {
    expect(Object.keys(newCollection('base', 'x'))).toEqual(Object.keys(blankCollection()));
    expect(blankCollection({ name: 'n' })).toMatchObject({ name: 'n', fields: [], listRule: null, options: {} });
  });

  it.skipIf(!hasShared)('round-trips every field of the fixture\'s _collections (only `help` is added, then stable)', () => {
    const db = new Database(join(fixtureDir(), 'data.db'), { readonly: true });
    try {
      const rows = db.prepare('SELECT * FROM _collections').all() as CollectionRow[];
      expect(rows.length).toBeGreaterThan(10);
      for (const row of rows) {
        const raw = JSON.parse(row.fields) as Array<Record<string, unknown>>;
        const once = rowToCollection(row).fields.map(fieldToJSON);
        // PocketBase 0.23+ writes `help` for every type but autodate; older fixture rows lack it
        const expected = raw.map((f) => fieldToJSON((f.type === 'autodate' || 'help' in f ? f : { ...f, help: '' }) as FieldModel));
        expect(JSON.stringify(once), row.name).toBe(JSON.stringify(expected));
        const twice = rowToCollection({ ...row, fields: JSON.stringify(once) }).fields.map(fieldToJSON);
        expect(JSON.stringify(twice), row.name).toBe(JSON.stringify(once));
      }
    } finally {
      db.close();
    }
  });
});
