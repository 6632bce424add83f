/**
 * `findOne`, the by-id read behind views, relation checks and rule checks after a write. The
 * rule-free by-id text is made once per collection version (no concatenation per request), so the
 * tests pin that it is the same SQL as the general path, that rules still apply, and that a new
 * collection version (a rename) gets a new text.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CollectionModel, FieldModel } from '../../../src/core/collections/collection-model.js';
import { newCollection } from '../../../src/core/collections/collection-factory.js';
import { SchemaRegistry } from '../../../src/core/collections/schema-registry.js';
import { guestRequest } from '../../../src/core/request-info.js';
import type { Db, SqlValue } from '../../../src/store/db.js';
import { SqlRecordRepository } from '../../../src/store/records/sql-record-repository.js';
import { SqliteDb } from '../../../src/store/sqlite/sqlite-db.js';

function posts(name = 'posts'): CollectionModel {
  const collection = newCollection('base', name, 'pbc_posts');
  const views: FieldModel = { id: 'f_views', name: 'views', type: 'number', system: false, hidden: false, presentable: false };
  collection.fields.push(views);
  return collection;
}

/** The SQL texts the repository sent to the database. */
function recording(db: Db): { db: Db; texts: string[] } {
  const texts: string[] = [];
  const spy = Object.create(db) as Db;
  spy.get = <T>(sql: string, params?: readonly SqlValue[]) => {
    texts.push(sql);
    return db.get<T>(sql, params);
  };
  spy.all = <T>(sql: string, params?: readonly SqlValue[]) => {
    texts.push(sql);
    return db.all<T>(sql, params);
  };
  return { db: spy, texts };
}

describe('SqlRecordRepository by-id reads', () => {
  let sqlite: SqliteDb;
  let schema: SchemaRegistry;

  beforeEach(async () => {
    sqlite = new SqliteDb(':memory:');
    await sqlite.exec('CREATE TABLE posts (id TEXT PRIMARY KEY, views NUMERIC DEFAULT 0 NOT NULL)');
    await sqlite.run("INSERT INTO posts (id, views) VALUES ('a', 5), ('b', 50)");
    schema = new SchemaRegistry();
  });
  afterEach(async () => {
    await sqlite.close();
  });

  const byId = (collection: CollectionModel, id: string, filters: string[] = []) => ({
    collection, request: guestRequest(), filters, allowHiddenFields: true,
    match: { field: 'id', values: [id], multiple: false },
  });

  it('reads one row by id with the same SQL text as find(limit 1), made once', async () => {
    const { db, texts } = recording(sqlite);
    const repo = new SqlRecordRepository(db, schema);
    const collection = posts();
    schema.upsert(collection);
    expect(await repo.findOne(byId(collection, 'b'))).toEqual({ id: 'b', views: 50 });
    expect(await repo.findOne(byId(collection, 'zz'))).toBeUndefined();
    await repo.find({ ...byId(collection, 'a'), limit: 1 });
    expect(texts[0]).toBe('SELECT __pb_main.* FROM `posts` __pb_main WHERE __pb_main.`id` IN (?) LIMIT 1 OFFSET 0');
    expect(new Set(texts).size).toBe(1);
  });

  it('still applies the rule filters it is given', async () => {
    const repo = new SqlRecordRepository(sqlite, schema);
    const collection = posts();
    schema.upsert(collection);
    expect(await repo.findOne(byId(collection, 'a', ['views > 10']))).toBeUndefined();
    expect(await repo.findOne(byId(collection, 'b', ['views > 10']))).toEqual({ id: 'b', views: 50 });
    expect(await repo.findOne(byId(collection, 'b', ['  ']))).toEqual({ id: 'b', views: 50 });
  });

  it('existingIds answers which ids exist with an index-only read, ignoring repeats and blanks', async () => {
    const { db, texts } = recording(sqlite);
    const repo = new SqlRecordRepository(db, schema);
    const collection = posts();
    expect(await repo.existingIds(collection, [])).toEqual([]);
    expect(await repo.existingIds(collection, ['b'])).toEqual(['b']);
    expect((await repo.existingIds(collection, ['a', 'missing', 'b', 'a', ''])).sort()).toEqual(['a', 'b']);
    expect(await repo.existingIds(collection, ['A'])).toEqual([]);
    expect(texts[0]).toBe('SELECT `id` FROM `posts` WHERE `id` IN (?)');
  });

  it('follows a new collection version (a rename)', async () => {
    const repo = new SqlRecordRepository(sqlite, schema);
    const before = posts('posts');
    expect(await repo.findOne(byId(before, 'a'))).toEqual({ id: 'a', views: 5 });
    await sqlite.exec('ALTER TABLE posts RENAME TO articles');
    const after = posts('articles');
    expect(await repo.findOne(byId(after, 'a'))).toEqual({ id: 'a', views: 5 });
    await expect(repo.findOne(byId(before, 'a'))).rejects.toMatchObject({ code: 'bad_request' });
  });
});
