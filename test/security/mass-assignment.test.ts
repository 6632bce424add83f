/**
 * Mass assignment and object-level authorization (OWASP API3:2023 broken object property level
 * authorization, API1:2023 BOLA, API5:2023 broken function level authorization): a caller must not
 * set `verified`, `tokenKey`, another user's email or password, or system fields (`id`, `created`,
 * `updated`, `collectionId`, `collectionName`) by adding them to a body, nor step around a
 * `@request.body.x:isset = false` rule with field modifiers (`role+`, `+role`, `role-`) or the
 * multipart `@jsonPayload` part (Parse Server GHSA-xqp8-w826-hh6x-style field protection bypass),
 * nor touch another caller's records through REST or batch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../helpers/test-server.js';
import { superuserToken, user2Token, userToken } from '../helpers/tokens.js';
import { call, closeTestDatabaseAdmins, createCollection, createRecord, projectDialect, startAttackServer, type Answer } from './attack-kit.js';

const USER1 = '4q1xlclmfloku33';
const USER2 = 'oap640cot4yru2s';
const PASSWORD = '1234567890';

let server: TestServer;
let docId = '';

const patch = (path: string, body: unknown, token?: string) => call(server.url, 'PATCH', path, { body, token });
async function read(collection: string, id: string): Promise<Record<string, unknown>> {
  const res = await call(server.url, 'GET', `/api/collections/${collection}/records/${id}`, { token: superuserToken });
  expect(res.status, res.text).toBe(200);
  return res.json as Record<string, unknown>;
}
async function stored(collection: string, id: string): Promise<Record<string, unknown> | null> {
  const schema = server.app.schema.find(collection)!;
  return (await server.app.records.findById(schema, id)) as Record<string, unknown> | null;
}
function multipart(parts: Record<string, string>): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(parts)) form.append(key, value);
  return form;
}
const notServerError = (res: Answer) => expect(res.status, res.text).toBeLessThan(500);

afterAll(() => closeTestDatabaseAdmins());

describe.each([projectDialect()])('mass assignment and BOLA (%s)', () => {
  beforeAll(async () => {
    server = await startAttackServer();
    const own = 'owner = @request.auth.id';
    await createCollection(server, {
      name: 'ma_docs', type: 'base',
      listRule: own, viewRule: own, deleteRule: own,
      createRule: "@request.auth.id != '' && owner = @request.auth.id && @request.body.role:isset = false",
      updateRule: `${own} && @request.body.role:isset = false && @request.body.owner:isset = false`,
      fields: [
        { name: 'title', type: 'text' },
        { name: 'role', type: 'select', maxSelect: 2, values: ['user', 'admin'] },
        { name: 'owner', type: 'relation', collectionId: '_pb_users_auth_', maxSelect: 1 },
        { name: 'created', type: 'autodate', onCreate: true },
        { name: 'updated', type: 'autodate', onCreate: true, onUpdate: true },
      ],
    });
    docId = await createRecord(server, 'ma_docs', { title: 'mine', role: ['user'], owner: USER1 });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('API3:2023 a guest sign-up cannot set verified', async () => {
    const res = await call(server.url, 'POST', '/api/collections/users/records', {
      body: { email: 'ma-verified@example.com', password: PASSWORD, passwordConfirm: PASSWORD, verified: true },
    });
    notServerError(res);
    if (res.status === 200) expect((await stored('users', (res.json as { id: string }).id))?.verified).toBe(false);
  });

  it('API3:2023 a guest sign-up cannot choose its tokenKey', async () => {
    const res = await call(server.url, 'POST', '/api/collections/users/records', {
      body: { email: 'ma-tokenkey@example.com', password: PASSWORD, passwordConfirm: PASSWORD, tokenKey: 'attacker-chosen-token-key-0123456789' },
    });
    notServerError(res);
    if (res.status === 200) expect((await stored('users', (res.json as { id: string }).id))?.tokenKey).not.toBe('attacker-chosen-token-key-0123456789');
  });

  /** [source, body a user sends to its own users record, the stored field that must not change] */
  const selfUpdates: Array<[string, Record<string, unknown>, string]> = [
    ['API3:2023 a user cannot verify itself', { verified: true }, 'verified'],
    ['API3:2023 a user cannot set its tokenKey (un-revoking old tokens)', { tokenKey: 'attacker-chosen-token-key-0123456789' }, 'tokenKey'],
    ['API3:2023 a user cannot change its email without the confirmation flow', { email: 'owned@example.com' }, 'email'],
    ['API3:2023 a user cannot change its password without oldPassword', { password: 'x-new-pass-1', passwordConfirm: 'x-new-pass-1' }, 'password'],
    ['API3:2023 a wrong oldPassword is refused', { oldPassword: 'wrong-one', password: 'x-new-pass-1', passwordConfirm: 'x-new-pass-1' }, 'password'],
    ['API3:2023 id cannot be renamed by update', { id: 'renamedid000001' }, 'id'],
    ['API3:2023 created cannot be forged', { created: '2001-01-01 00:00:00.000Z' }, 'created'],
  ];

  it.each(selfUpdates)('%s', async (_source, body, field) => {
    const before = await stored('users', USER1);
    const res = await patch(`/api/collections/users/records/${USER1}`, body, userToken);
    notServerError(res);
    const after = await stored('users', USER1);
    expect(after?.[field]).toEqual(before?.[field]);
  });

  it('API3:2023 collectionId and collectionName in a body are ignored', async () => {
    const res = await patch(`/api/collections/ma_docs/records/${docId}`, { title: 'renamed', collectionId: '_pb_users_auth_', collectionName: 'users' }, userToken);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ collectionName: 'ma_docs', title: 'renamed' });
    expect((await stored('ma_docs', docId))?.title).toBe('renamed');
  });

  it('API3:2023 updated and created are set by the server on create', async () => {
    const res = await call(server.url, 'POST', '/api/collections/ma_docs/records', {
      token: userToken, body: { title: 'dated', owner: USER1, created: '2001-01-01 00:00:00.000Z', updated: '2001-01-01 00:00:00.000Z' },
    });
    expect(res.status, res.text).toBe(200);
    expect(String((res.json as { created: string }).created)).not.toMatch(/^2001/);
    expect(String((res.json as { updated: string }).updated)).not.toMatch(/^2001/);
  });

  /** [source, how the forbidden `role` is smuggled into an update] */
  const smuggled: Array<[string, () => Promise<Answer>]> = [
    ['API3:2023 role in a JSON body', () => patch(`/api/collections/ma_docs/records/${docId}`, { role: ['admin'] }, userToken)],
    ['API3:2023 role+ append modifier', () => patch(`/api/collections/ma_docs/records/${docId}`, { 'role+': 'admin' }, userToken)],
    ['API3:2023 +role prepend modifier', () => patch(`/api/collections/ma_docs/records/${docId}`, { '+role': 'admin' }, userToken)],
    ['API3:2023 role- remove modifier', () => patch(`/api/collections/ma_docs/records/${docId}`, { 'role-': 'user' }, userToken)],
    ['API3:2023 role as a multipart field', () => call(server.url, 'PATCH', `/api/collections/ma_docs/records/${docId}`, { token: userToken, body: multipart({ role: 'admin' }) })],
    ['API3:2023 role+ as a multipart field', () => call(server.url, 'PATCH', `/api/collections/ma_docs/records/${docId}`, { token: userToken, body: multipart({ 'role+': 'admin' }) })],
    ['API3:2023 role inside @jsonPayload', () => call(server.url, 'PATCH', `/api/collections/ma_docs/records/${docId}`, { token: userToken, body: multipart({ '@jsonPayload': JSON.stringify({ role: ['admin'] }) }) })],
    ['API3:2023 role+ inside @jsonPayload', () => call(server.url, 'PATCH', `/api/collections/ma_docs/records/${docId}`, { token: userToken, body: multipart({ '@jsonPayload': JSON.stringify({ 'role+': 'admin' }) }) })],
    ['Parse CVE-2022-24760: role inherited through __proto__ inside @jsonPayload', () => call(server.url, 'PATCH', `/api/collections/ma_docs/records/${docId}`, { token: userToken, body: multipart({ '@jsonPayload': JSON.stringify(JSON.parse('{"title":"p1","__proto__":{"role":["admin"],"owner":"oap640cot4yru2s"}}')) }) })],
    ['Parse CVE-2022-24760: role inherited through __proto__ in a JSON body', () => call(server.url, 'PATCH', `/api/collections/ma_docs/records/${docId}`, { token: userToken, body: '{"title":"p2","__proto__":{"role":["admin"]}}', headers: { 'content-type': 'application/json' } })],
    ['Parse CVE-2022-24760: role inherited through __proto__ in a batch body', () => call(server.url, 'POST', '/api/batch', { token: userToken, body: `{"requests":[{"method":"PATCH","url":"/api/collections/ma_docs/records/${docId}","body":{"title":"p3","__proto__":{"role":["admin"]}}}]}`, headers: { 'content-type': 'application/json' } })],
    ['API3:2023 role in a batch update', () => call(server.url, 'POST', '/api/batch', { token: userToken, body: { requests: [{ method: 'PATCH', url: `/api/collections/ma_docs/records/${docId}`, body: { 'role+': 'admin' } }] } })],
    ['API3:2023 owner moved to another user', () => patch(`/api/collections/ma_docs/records/${docId}`, { owner: USER2 }, userToken)],
    ['API3:2023 owner+ modifier on a single relation', () => patch(`/api/collections/ma_docs/records/${docId}`, { 'owner+': USER2 }, userToken)],
  ];

  it.each(smuggled)('%s is refused by the :isset rule', async (_source, attempt) => {
    const res = await attempt();
    notServerError(res);
    const doc = await stored('ma_docs', docId);
    expect(doc?.role).toEqual(['user']);
    expect(doc?.owner).toBe(USER1);
  });

  it('API3:2023 role+ on create is refused by the :isset create rule', async () => {
    for (const body of [{ title: 't', owner: USER1, 'role+': 'admin' }, { title: 't', owner: USER1, '+role': ['admin'] }]) {
      const res = await call(server.url, 'POST', '/api/collections/ma_docs/records', { token: userToken, body });
      notServerError(res);
      if (res.status === 200) expect((res.json as { role: string[] }).role).toEqual([]);
    }
  });

  /** [source, method, path, body]: user2 against user1's document. */
  const bola: Array<[string, string, string, unknown]> = [
    ['API1:2023 BOLA view another user\'s record', 'GET', 'ma_docs/records/{doc}', undefined],
    ['API1:2023 BOLA update another user\'s record', 'PATCH', 'ma_docs/records/{doc}', { title: 'pwned' }],
    ['API1:2023 BOLA delete another user\'s record', 'DELETE', 'ma_docs/records/{doc}', undefined],
    ['API1:2023 BOLA update another user\'s account', 'PATCH', 'users/records/4q1xlclmfloku33', { name: 'pwned' }],
    ['API1:2023 BOLA delete another user\'s account', 'DELETE', 'users/records/4q1xlclmfloku33', undefined],
    ['API1:2023 BOLA create a record owned by someone else', 'POST', 'ma_docs/records', { title: 'planted', owner: USER1 }],
  ];

  it.each(bola)('%s', async (_source, method, path, body) => {
    const before = await stored('ma_docs', docId);
    const res = await call(server.url, method, `/api/collections/${path.replace('{doc}', docId)}`, { token: user2Token, body });
    expect([400, 403, 404]).toContain(res.status);
    expect(await stored('ma_docs', docId)).toEqual(before);
    expect(await stored('users', USER1)).toMatchObject({ name: expect.not.stringMatching('pwned') as unknown });
  });

  it('API1:2023 BOLA through batch: one denied request rolls the whole batch back', async () => {
    const res = await call(server.url, 'POST', '/api/batch', {
      token: user2Token,
      body: { requests: [
        { method: 'POST', url: '/api/collections/ma_docs/records', body: { title: 'fine', owner: USER2 } },
        { method: 'DELETE', url: `/api/collections/ma_docs/records/${docId}` },
      ] },
    });
    expect(res.status).toBe(400);
    expect(await stored('ma_docs', docId)).not.toBeNull();
    const mine = await call(server.url, 'GET', `/api/collections/ma_docs/records?filter=${encodeURIComponent("title='fine'")}`, { token: superuserToken });
    expect((mine.json as { totalItems: number }).totalItems).toBe(0);
  });

  /** API5:2023: superuser-only routes for a user token. */
  const adminOnly: Array<[string, string, string, unknown]> = [
    ['API5:2023 list collections', 'GET', '/api/collections', undefined],
    ['API5:2023 create a collection', 'POST', '/api/collections', { name: 'ma_evil', type: 'base' }],
    ['API5:2023 change a collection\'s rules', 'PATCH', '/api/collections/ma_docs', { listRule: '' }],
    ['API5:2023 read settings (SMTP password, OAuth2 secrets)', 'GET', '/api/settings', undefined],
    ['API5:2023 change settings', 'PATCH', '/api/settings', { meta: { appName: 'pwned' } }],
    ['API5:2023 impersonate a user', 'POST', '/api/collections/users/impersonate/oap640cot4yru2s', {}],
    ['API5:2023 read logs', 'GET', '/api/logs', undefined],
    ['API5:2023 create a backup', 'POST', '/api/backups', {}],
    ['API5:2023 list _superusers', 'GET', '/api/collections/_superusers/records', undefined],
    ['API5:2023 create a superuser', 'POST', '/api/collections/_superusers/records', { email: 'evil@example.com', password: PASSWORD, passwordConfirm: PASSWORD }],
  ];

  it.each(adminOnly)('%s is refused for a user', async (_source, method, path, body) => {
    const res = await call(server.url, method, path, { token: userToken, body });
    expect([401, 403, 404]).toContain(res.status);
    expect((res.json as { status: number }).status).toBe(res.status);
  });

  it('control: a superuser may set verified and change any email', async () => {
    const res = await patch(`/api/collections/users/records/${USER2}`, { name: 'by-admin' }, superuserToken);
    expect(res.status, res.text).toBe(200);
    expect((await read('users', USER2)).name).toBe('by-admin');
  });
});
