import { describe, expect, it } from 'vitest';
import type { CollectionModel, FieldModel } from '../../../src/core/collections/collection-model.js';
import { newCollection } from '../../../src/core/collections/collection-factory.js';
import { rowToJson, rowToRecord } from '../../../src/core/records/record-rows.js';
import { serializeRecord } from '../../../src/core/records/record-serializer.js';

function field(name: string, type: string, extra: Partial<FieldModel> = {}): FieldModel {
  return { id: `f_${name}`, name, type, system: false, hidden: false, presentable: false, ...extra };
}

function posts(): CollectionModel {
  const collection = newCollection('base', 'posts', 'pbc_posts');
  collection.fields.push(
    field('title', 'text'),
    field('views', 'number'),
    field('tags', 'select', { maxSelect: 3, values: ['a', 'b', 'c'] }),
    field('meta', 'json'),
    field('secret', 'text', { hidden: true }),
  );
  return collection;
}

const row = { id: 'r1', title: 'Hello', views: 7, tags: '["b","a"]', meta: '{"k":[1,2]}', secret: 's3' };

describe('rowToJson', () => {
  it('answers what serializeRecord answers for the same row, keys in collection order', () => {
    const collection = posts();
    for (const showHidden of [false, true]) {
      const fast = rowToJson(collection, row, showHidden);
      const slow = serializeRecord(collection, rowToRecord(collection, row), { showHidden });
      expect(fast).toEqual(slow);
      expect(Object.keys(fast)).toEqual(Object.keys(slow));
      expect(JSON.stringify(fast)).toBe(JSON.stringify(slow));
    }
  });

  it('keeps hidden fields out unless asked', () => {
    const collection = posts();
    expect(rowToJson(collection, row)).not.toHaveProperty('secret');
    expect(rowToJson(collection, row, true)).toHaveProperty('secret', 's3');
  });

  it('serialises a field named __proto__ as a key, not as the prototype', () => {
    const collection = posts();
    collection.fields.push(field('__proto__', 'text'));
    const json = rowToJson(collection, { ...row, ['__proto__']: 'odd' });
    expect(Object.getPrototypeOf(json)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(json))).toHaveProperty('__proto__', 'odd');
  });

  it('follows a new collection version (a field added)', () => {
    const collection = posts();
    expect(rowToJson(collection, row)).not.toHaveProperty('extra');
    const next = { ...collection, fields: [...collection.fields, field('extra', 'bool')] };
    expect(rowToJson(next, { ...row, extra: 1 })).toHaveProperty('extra', true);
  });

  it('fills null for a column the row lacks', () => {
    const { meta: _meta, ...withoutMeta } = row;
    expect(rowToJson(posts(), withoutMeta)).toHaveProperty('meta', null);
  });
});
