import type PocketBase from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireShared } from '../helpers/requirements.js';
import { closeTestDatabaseAdmins, projectDialect } from '../helpers/test-databases.js';
import { sdkClient, sdkFailure } from '../helpers/sdk-clients.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { superuserToken } from '../helpers/tokens.js';

const hasShared = requireShared('collections API through the SDK');
// one dialect per vitest project (see test/helpers/dialect-projects.ts)
const DIALECTS = [projectDialect()];
afterAll(() => closeTestDatabaseAdmins());

describe.skipIf(!hasShared).each(DIALECTS)('collections API (pocketbase SDK, fixture copy, %s)', (dialect) => {
  let server: TestServer;
  let pb: PocketBase;

  beforeAll(async () => {
    server = await startTestServer({ fixture: true, dialect });
    pb = sdkClient(server.url, superuserToken);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('lists, filters and views collections', async () => {
    const list = await pb.collections.getList(1, 2, { filter: "name ~ 'demo'", sort: '-name' });
    expect(list.totalItems).toBe(5);
    expect(list.items.map((c) => c.name)).toEqual(['demo5', 'demo4']);
    const users = await pb.collections.getOne('users');
    expect(users.id).toBe('_pb_users_auth_');
    expect(JSON.stringify(users)).not.toContain('"secret"');
  });

  it('creates, migrates (add / rename / remove fields, rename) and keeps the data', async () => {
    const created = await pb.collections.create({
      name: 'notes',
      type: 'base',
      fields: [
        { name: 'title', type: 'text' },
        { name: 'body', type: 'text' },
        { name: 'gone', type: 'number' },
      ],
      indexes: ['CREATE INDEX idx_notes_title ON notes (title)'],
    });
    expect(created.fields.map((f: { name: string }) => f.name)).toEqual(['id', 'title', 'body', 'gone']);
    // insert a row straight into the table (records API is another module's)
    const raw = await server.openDb();
    await raw.run("INSERT INTO notes (id, title, body, gone) VALUES ('abc123def456ghi', 'hello', 'world', 3)");

    const fields: Array<Record<string, unknown>> = created.fields.filter((f: { name: string }) => f.name !== 'gone');
    const body = fields.find((f) => f.name === 'body');
    if (body) body.name = 'content';
    fields.push({ name: 'extra', type: 'bool' });
    const updated = await pb.collections.update('notes', { name: 'memos', fields });
    expect(updated.name).toBe('memos');
    expect(updated.indexes[0]).toContain('ON `memos`');
    const row = await raw.get("SELECT * FROM memos WHERE id = 'abc123def456ghi'");
    expect(row).toEqual({ id: 'abc123def456ghi', title: 'hello', content: 'world', extra: 0 });
    await raw.close();

    await pb.collections.truncate('memos');
    await pb.collections.delete('memos');
    expect((await sdkFailure(pb.collections.getOne('memos'))).status).toBe(404);
  });

  it('creates a view collection with inferred fields', async () => {
    const view = await pb.collections.create({ name: 'demo2_view', type: 'view', viewQuery: 'select id, title, active from demo2' });
    const byName = Object.fromEntries(view.fields.map((f: { name: string; type: string }) => [f.name, f.type]));
    expect(byName).toEqual({ id: 'text', title: 'text', active: 'bool' });
    await pb.collections.delete('demo2_view');
  });

  it('answers PocketBase validation codes', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: 'demo1' }, '"name":{"code":"validation_collection_name_exists"'],
      [{ name: 'bad name!' }, '"name":{"code":"validation_match_invalid"'],
      [{ name: 'x1', fields: [{ type: 'text', name: 'expand' }] }, '"1":{"name":{"code":"validation_not_in_invalid"'],
      [{ name: 'x2', type: 'auth', fields: [{ type: 'text', name: 'oldPassword' }] }, 'validation_reserved_field_name'],
      [{ name: 'x3', listRule: 'missing = 1' }, '"listRule":{"code":"validation_invalid_rule"'],
      [{ name: 'x4', indexes: ['create index i1 on x4 (id)', 'create index i1 on x4 (id)'] }, 'validation_duplicated_index_name'],
      [{ name: 'x5', type: 'view', viewQuery: 'select 1 as nope' }, 'validation_invalid_view_query'],
    ];
    for (const [data, expected] of cases) {
      const err = await sdkFailure(pb.collections.create(data));
      expect(err.status).toBe(400);
      expect(JSON.stringify(err.response.data)).toContain(expected.replace(/^"|"$/g, ''));
    }
    const typeChange = await sdkFailure(pb.collections.update('demo1', { type: 'auth' }));
    expect(JSON.stringify(typeChange.response.data)).toContain('validation_collection_type_change');
  });

  it('refuses deleting a referenced collection and truncating with required references', async () => {
    expect((await sdkFailure(pb.collections.delete('demo2'))).status).toBe(400);
    expect((await sdkFailure(pb.collections.truncate('demo3'))).status).toBe(400);
  });

  it('imports collections and serves scaffolds', async () => {
    const scaffolds = await pb.collections.getScaffolds();
    expect(Object.keys(scaffolds).sort()).toEqual(['auth', 'base', 'view']);
    const data = [{ name: 'imported', type: 'base', fields: [{ name: 'a', type: 'text' }] }];
    await pb.collections.import(data as unknown as Parameters<typeof pb.collections.import>[0], false);
    const imported = await pb.collections.getOne('imported');
    expect(imported.fields.map((f: { name: string }) => f.name)).toEqual(['id', 'a']);
  });
});
