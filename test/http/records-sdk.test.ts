import type PocketBase from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeTestDatabaseAdmins, projectDialect } from '../helpers/test-databases.js';
import { sdkClient, sdkFailure } from '../helpers/sdk-clients.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { superuserToken, userToken } from '../helpers/tokens.js';

let server: TestServer;

const client = (token?: string): PocketBase => sdkClient(server.url, token);

// one dialect per vitest project (see test/helpers/dialect-projects.ts)
const DIALECTS = [projectDialect()];
afterAll(() => closeTestDatabaseAdmins());

describe.each(DIALECTS)('records API through the pocketbase SDK (%s)', (dialect) => {
  beforeAll(async () => {
    server = await startTestServer({ fixture: true, dialect });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('lists with paging, sort, filter and skipTotal', async () => {
    const pb = client(superuserToken);
    const page = await pb.collection('demo1').getList(1, 2, { sort: '-created' });
    expect(page).toMatchObject({ page: 1, perPage: 2, totalItems: 3, totalPages: 2 });
    expect(page.items).toHaveLength(2);
    expect(Object.keys(page.items[0] ?? {}).slice(0, 3)).toEqual(['collectionId', 'collectionName', 'id']);
    const skipped = await pb.collection('demo1').getList(1, 10, { filter: "text~'test'", skipTotal: true });
    expect(skipped.totalItems).toBe(-1);
    expect(skipped.totalPages).toBe(-1);
    const all = await pb.collection('demo2').getFullList({ sort: 'title' });
    expect(all.map((r) => r['title'])).toEqual([...all.map((r) => r['title'])].sort());
  });

  it('applies rules: locked → 403, list filtered, view → 404', async () => {
    expect((await sdkFailure(client().collection('demo1').getList())).status).toBe(403);
    const asUser = await client(userToken).collection('demo3').getList();
    expect(asUser.totalItems).toBe(0);
    expect((await sdkFailure(client(userToken).collection('users').getOne('bgs820n361vj1qd'))).status).toBe(404);
  });

  it('expands relations and picks fields', async () => {
    const pb = client(superuserToken);
    const rec = await pb.collection('demo1').getOne('al1h9ijdeojtsjy', { expand: 'rel_one,rel_many.rel', fields: 'id,expand.rel_many.id,expand.rel_many.expand' });
    expect(Object.keys(rec)).toEqual(['id', 'expand']);
    expect(Array.isArray(rec.expand?.['rel_many'])).toBe(true);
  });

  it('creates, updates with modifiers and deletes', async () => {
    const pb = client();
    const created = await pb.collection('demo5').create({ 'total+': 4, 'total-': 1 });
    expect(created['total']).toBe(3);
    const superuser = client(superuserToken);
    const updated = await superuser.collection('demo5').update(created.id, { 'total+': 2, 'select_many+': ['a', 'b'] });
    expect(updated['total']).toBe(5);
    expect(updated['select_many']).toEqual(['a', 'b']);
    await superuser.collection('demo5').delete(created.id);
    expect((await sdkFailure(superuser.collection('demo5').getOne(created.id))).status).toBe(404);
  });

  it('reports field errors and keeps data intact on bad input', async () => {
    const pb = client();
    const before = await pb.collection('demo2').getFullList();
    const bad = await sdkFailure(pb.collection('demo2').create({ title: 'a' }));
    expect(bad.status).toBe(400);
    expect(bad.response['data']['title']['code']).toBe('validation_min_text_constraint');
    for (const filter of ["title='x' OR 1=1 --", "title = 'x'; DROP TABLE demo2", 'missing_field = 1', '((']) {
      expect((await sdkFailure(pb.collection('demo2').getList(1, 30, { filter }))).status).toBe(400);
    }
    expect((await sdkFailure(pb.collection('demo2').getList(1, 30, { sort: 'title;DROP TABLE demo2' }))).status).toBe(400);
    expect((await sdkFailure(pb.collection('demo2').getList(1, 30, { fields: 'title:nope()' }))).status).toBe(400);
    const bogusExpand = await pb.collection('demo2').getList(1, 30, { expand: "x'); DROP TABLE demo2; --" });
    expect(bogusExpand.items.length).toBe(before.length);
    expect(await pb.collection('demo2').getFullList()).toEqual(before);
  });

  it('cascades deletes and refuses to empty required relations', async () => {
    const pb = client(superuserToken);
    expect((await sdkFailure(pb.collection('demo3').delete('7nwo8tuiatetxdm'))).status).toBe(400);
    expect((await pb.collection('demo3').getOne('7nwo8tuiatetxdm')).id).toBe('7nwo8tuiatetxdm');
    await pb.collection('demo3').delete('1tmknxy2868d869');
  });
});
