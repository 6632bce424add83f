/**
 * The same oracles and object-level checks through the other transports (DESIGN §2: one
 * authorization path): realtime subscriptions with a `filter` on a hidden field, events of records
 * the caller may not view, batch requests, GraphQL queries and subscriptions, and protected files.
 * Sources: Strapi CVE-2023-22894 (filters on private fields), Hasura-style GraphQL permission
 * bypass through relationships (OWASP API1:2023/API3:2023), and PocketBase protected files
 * (`?token=` file tokens: a file served without the record's view permission is OWASP API1:2023).
 */
import { EventSource } from 'eventsource';
import type { RecordModel, RecordSubscription } from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlClient } from '../helpers/graphql-client.js';
import { SdkClients } from '../helpers/sdk-clients.js';
import type { TestServer } from '../helpers/test-server.js';
import { superuserToken, user2Token, userToken } from '../helpers/tokens.js';
import { call, closeTestDatabaseAdmins, createCollection, createRecord, expectNoOracle, projectDialect, startAttackServer } from './attack-kit.js';

(globalThis as { EventSource?: unknown }).EventSource ??= EventSource;

const USER1 = '4q1xlclmfloku33';
const USER2 = 'oap640cot4yru2s';

let server: TestServer;
const clients = new SdkClients(() => server.url);
let privateId = '';
let secretId = '';
let fileDocId = '';
let fileName = '';

afterAll(() => closeTestDatabaseAdmins());

describe.each([projectDialect()])('oracles through realtime, batch, GraphQL and files (%s)', () => {
  beforeAll(async () => {
    server = await startAttackServer();
    const signedIn = "@request.auth.id != ''";
    const vault = await createCollection(server, {
      name: 'to_vault', type: 'base', listRule: signedIn, viewRule: signedIn, createRule: signedIn,
      fields: [{ name: 'title', type: 'text' }, { name: 'secret', type: 'text', hidden: true }],
    });
    await createCollection(server, {
      name: 'to_private', type: 'base', listRule: 'owner = @request.auth.id', viewRule: 'owner = @request.auth.id',
      updateRule: 'owner = @request.auth.id', deleteRule: 'owner = @request.auth.id',
      fields: [
        { name: 'note', type: 'text' },
        { name: 'owner', type: 'relation', collectionId: '_pb_users_auth_', maxSelect: 1 },
        { name: 'vault', type: 'relation', collectionId: vault.id, maxSelect: 1 },
      ],
    });
    await createCollection(server, {
      name: 'to_files', type: 'base', listRule: 'owner = @request.auth.id', viewRule: 'owner = @request.auth.id',
      fields: [
        { name: 'owner', type: 'relation', collectionId: '_pb_users_auth_', maxSelect: 1 },
        { name: 'doc', type: 'file', maxSelect: 1, maxSize: 1 << 20, protected: true },
      ],
    });
    secretId = await createRecord(server, 'to_vault', { title: 't', secret: 'alpha' });
    privateId = await createRecord(server, 'to_private', { note: 'topsecret', owner: USER2, vault: secretId });
    const form = new FormData();
    form.append('owner', USER2);
    form.append('doc', new Blob(['private contract']), 'contract.txt');
    const created = await call(server.url, 'POST', '/api/collections/to_files/records', { token: superuserToken, body: form });
    expect(created.status, created.text).toBe(200);
    fileDocId = (created.json as { id: string }).id;
    fileName = (created.json as { doc: string }).doc;
  });

  afterAll(async () => {
    await clients.closeAll();
    await server?.close();
  });

  it('Strapi CVE-2023-22894 via realtime: a subscription filter on a hidden field is no oracle', async () => {
    const right: Array<RecordSubscription<RecordModel>> = [];
    const wrong: Array<RecordSubscription<RecordModel>> = [];
    const control: Array<RecordSubscription<RecordModel>> = [];
    await clients.client(userToken).collection('to_vault').subscribe('*', (e) => right.push(e), { filter: "secret = 'beta'" });
    await clients.client(userToken).collection('to_vault').subscribe('*', (e) => wrong.push(e), { filter: "secret = 'nope'" });
    await clients.client(userToken).collection('to_vault').subscribe('*', (e) => control.push(e));
    await createRecord(server, 'to_vault', { title: 'live', secret: 'beta' });
    const end = Date.now() + 5000;
    while (control.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect(control).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(right.length).toBe(wrong.length);
    expect(JSON.stringify(control)).not.toContain('beta');
  });

  it('API1:2023 via realtime: no event for a record the view rule hides, even subscribed by id', async () => {
    const byId: unknown[] = [];
    const all: unknown[] = [];
    const owner: unknown[] = [];
    await clients.client(userToken).collection('to_private').subscribe(privateId, (e) => byId.push(e));
    await clients.client(userToken).collection('to_private').subscribe('*', (e) => all.push(e));
    await clients.client(user2Token).collection('to_private').subscribe('*', (e) => owner.push(e));
    const res = await call(server.url, 'PATCH', `/api/collections/to_private/records/${privateId}`, { token: superuserToken, body: { note: 'topsecret2' } });
    expect(res.status).toBe(200);
    const end = Date.now() + 5000;
    while (owner.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect(owner).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(byId).toEqual([]);
    expect(all).toEqual([]);
  });

  it('API1:2023 via realtime: a subscription `expand` does not reach a hidden field of the relation', async () => {
    const got: Array<RecordSubscription<RecordModel>> = [];
    await clients.client(user2Token).collection('to_private').subscribe('*', (e) => got.push(e), { expand: 'vault' });
    await createRecord(server, 'to_private', { note: 'n2', owner: USER2, vault: secretId });
    const end = Date.now() + 5000;
    while (got.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect(got).toHaveLength(1);
    expect(got[0]?.record.expand?.['vault']).toMatchObject({ id: secretId });
    expect(JSON.stringify(got)).not.toContain('alpha');
  });

  it('Strapi CVE-2023-22894 via batch: a filter is not part of batch, a hidden-field create rule cannot be probed', async () => {
    const probe = (guess: string) => call(server.url, 'POST', '/api/batch', {
      token: userToken,
      body: { requests: [{ method: 'GET', url: `/api/collections/to_vault/records?filter=${encodeURIComponent(`secret='${guess}'`)}` }] },
    });
    expectNoOracle(await probe('alpha'), await probe('nope'));
  });

  it('API1:2023 via batch: updating a record the rule hides fails and changes nothing', async () => {
    const res = await call(server.url, 'POST', '/api/batch', {
      token: userToken, body: { requests: [{ method: 'PATCH', url: `/api/collections/to_private/records/${privateId}`, body: { note: 'pwned' } }] },
    });
    expect(res.status).toBe(400);
    expect(res.text).not.toContain('topsecret');
    const stored = await server.app.records.findById(server.app.schema.find('to_private')!, privateId);
    expect(stored?.note).toBe('topsecret2');
  });

  it('API1:2023 via batch: a path escaping /api/collections is refused', async () => {
    const res = await call(server.url, 'POST', '/api/batch', {
      token: userToken, body: { requests: [{ method: 'GET', url: '/api/collections/../settings' }, { method: 'PATCH', url: '/api/settings', body: {} }] },
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('Strapi CVE-2023-22894 via GraphQL: filter on a hidden field is no oracle', async () => {
    const gql = graphqlClient(server.url, userToken);
    const a = await gql.run(`{ to_vault(filter: "secret = 'alpha'") { totalItems items { id } } }`);
    const b = await gql.run(`{ to_vault(filter: "secret = 'nope'") { totalItems items { id } } }`);
    expect(a.status).toBeLessThan(500);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('API3:2023 via GraphQL: sort on a hidden field is no oracle, and the field cannot be selected', async () => {
    const gql = graphqlClient(server.url, userToken);
    const asc = await gql.run('{ to_vault(sort: "secret") { items { id } } }');
    const desc = await gql.run('{ to_vault(sort: "-secret") { items { id } } }');
    expect(JSON.stringify(asc)).toBe(JSON.stringify(desc));
    const selected = await gql.run('{ to_vault { items { id secret } } }');
    expect(selected.status).toBe(400);
    expect(JSON.stringify(selected)).not.toContain('alpha');
  });

  it('Hasura-style API1:2023 via GraphQL: a relationship does not reach a rule-protected record', async () => {
    const gql = graphqlClient(server.url, userToken);
    const res = await gql.run(`{ to_private { totalItems items { id note } } }`);
    expect(JSON.stringify(res)).not.toContain('topsecret');
    const filtered = await gql.run(`{ to_vault(filter: "to_private_via_vault.note ?= 'topsecret2'") { totalItems } }`);
    const wrong = await gql.run(`{ to_vault(filter: "to_private_via_vault.note ?= 'nope'") { totalItems } }`);
    expect(JSON.stringify(filtered)).toBe(JSON.stringify(wrong));
  });

  it('API1:2023 via GraphQL mutations: another user\'s record cannot be updated or deleted', async () => {
    const gql = graphqlClient(server.url, userToken);
    const update = await gql.run(`mutation { updateToPrivate(id: "${privateId}", data: { note: "pwned" }) { id } }`);
    expect(update.errors[0]?.extensions?.status, JSON.stringify(update)).toBe(404);
    const remove = await gql.run(`mutation { deleteToPrivate(id: "${privateId}") }`);
    expect(remove.errors[0]?.extensions?.status, JSON.stringify(remove)).toBe(404);
    const byId = await gql.run(`{ to_privateById(id: "${privateId}") { id note } }`);
    expect(byId.data, JSON.stringify(byId)).toEqual({ to_privateById: null });
    const stored = await server.app.records.findById(server.app.schema.find('to_private')!, privateId);
    expect(stored?.note).toBe('topsecret2');
  });

  it('API1:2023 files: a protected file needs a file token of a caller who may view the record', async () => {
    const path = `/api/files/to_files/${fileDocId}/${fileName}`;
    expect((await call(server.url, 'GET', path)).status).toBe(404);
    const userFileToken = (await call(server.url, 'POST', '/api/files/token', { token: userToken })).json as { token: string };
    expect((await call(server.url, 'GET', `${path}?token=${userFileToken.token}`)).status).toBe(404);
    const ownerFileToken = (await call(server.url, 'POST', '/api/files/token', { token: user2Token })).json as { token: string };
    const owner = await call(server.url, 'GET', `${path}?token=${ownerFileToken.token}`);
    expect(owner.status).toBe(200);
    expect(owner.text).toBe('private contract');
  });

  it('API2:2023 files: an auth token is not a file token, and a file token is not an auth token', async () => {
    const path = `/api/files/to_files/${fileDocId}/${fileName}`;
    expect((await call(server.url, 'GET', `${path}?token=${user2Token}`)).status).toBe(404);
    const fileToken = ((await call(server.url, 'POST', '/api/files/token', { token: user2Token })).json as { token: string }).token;
    expect((await call(server.url, 'POST', '/api/collections/users/auth-refresh', { token: fileToken, body: {} })).status).toBe(401);
  });

  it('API1:2023 files: a file name of another record (id swap) is not served', async () => {
    const other = await createRecord(server, 'to_files', { owner: USER1 });
    const fileToken = ((await call(server.url, 'POST', '/api/files/token', { token: userToken })).json as { token: string }).token;
    const res = await call(server.url, 'GET', `/api/files/to_files/${other}/${fileName}?token=${fileToken}`);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('private contract');
  });

  it('control: the owner gets its record over GraphQL, with a relation to USER2', async () => {
    const gql = graphqlClient(server.url, user2Token);
    const res = await gql.run('{ to_private { totalItems } }');
    expect(res.data).toMatchObject({ to_private: { totalItems: 2 } });
    expect(USER2).toBeTruthy();
  });
});
