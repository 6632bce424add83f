/**
 * The rule tester (`POST /api/plinth/rules/explain`, a Plinth extension): for every rule in the
 * table, its verdict for a caller must be what the real REST call answers that caller (the same
 * SQL), and each clause must carry the values it compared. Runs on every dialect (test/http).
 */
import type PocketBase from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SuperuserAccounts } from '../../src/core/auth/superuser-accounts.js';
import type { RuleExplanation, RuleTrace } from '../../src/core/rules/rule-trace.js';
import { sdkClient, sdkFailure } from '../helpers/sdk-clients.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
let admin: PocketBase;
const callers: Record<'guest' | 'alice' | 'bob', { pb: PocketBase; auth: { collection: string; id: string } | null }> = {} as never;
let post = '';
let draft = '';
let ids: Record<string, string> = {};

function explain(body: Record<string, unknown>, token = admin.authStore.token) {
  return fetch(`${server.url}/api/plinth/rules/explain`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) },
    body: JSON.stringify(body),
  });
}

async function explained(body: Record<string, unknown>): Promise<RuleExplanation> {
  const res = await explain(body);
  const json = (await res.json()) as RuleExplanation;
  expect(res.status, JSON.stringify(json)).toBe(200);
  return json;
}

/** The clause of the trace whose text is `text`. */
function clause(trace: RuleTrace | undefined, text: string): RuleTrace {
  if (!trace) throw new Error('no trace');
  if (trace.text === text) return trace;
  if (trace.kind !== 'compare') for (const item of trace.items) {
    try {
      return clause(item, text);
    } catch {
      // not in this branch
    }
  }
  throw new Error(`no clause "${text}" in ${JSON.stringify(trace)}`);
}

beforeAll(async () => {
  server = await startTestServer();
  await new SuperuserAccounts(server.app.schema, server.app.records).create('root@example.com', 'root-password-1');
  admin = sdkClient(server.url);
  await admin.collection('_superusers').authWithPassword('root@example.com', 'root-password-1');
  const members = await admin.collections.create({
    name: 'members', type: 'auth', listRule: '', viewRule: '',
    fields: [{ name: 'name', type: 'text' }, { name: 'role', type: 'select', values: ['staff', 'guest'], maxSelect: 1 }],
  });
  await admin.collections.create({
    name: 'notes', type: 'base',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'status', type: 'select', values: ['draft', 'published'], maxSelect: 1 },
      { name: 'tags', type: 'select', values: ['a', 'b', 'c'], maxSelect: 3 },
      { name: 'author', type: 'relation', collectionId: members.id, maxSelect: 1 },
      { name: 'editors', type: 'relation', collectionId: members.id, maxSelect: 5 },
    ],
  });
  const alice = await admin.collection('members').create({ email: 'alice@example.com', password: 'alice-password', passwordConfirm: 'alice-password', name: 'Alice', role: 'staff' });
  const bob = await admin.collection('members').create({ email: 'bob@example.com', password: 'bob-password-', passwordConfirm: 'bob-password-', name: 'Bob', role: 'guest' });
  ids = { alice: alice.id, bob: bob.id };
  post = (await admin.collection('notes').create({ title: 'Hello World', status: 'published', tags: ['a', 'b'], author: alice.id, editors: [bob.id] })).id;
  draft = (await admin.collection('notes').create({ title: 'Secret', status: 'draft', tags: ['c'], author: alice.id, editors: [] })).id;
  callers.guest = { pb: sdkClient(server.url), auth: null };
  for (const [who, password] of [['alice', 'alice-password'], ['bob', 'bob-password-']] as const) {
    const pb = sdkClient(server.url);
    await pb.collection('members').authWithPassword(`${who}@example.com`, password);
    callers[who] = { pb, auth: { collection: 'members', id: ids[who] ?? '' } };
  }
});

afterAll(async () => {
  await server?.close();
});

/** Rules for `viewRule`, with who may view which record. */
const SCENARIOS: Array<{ rule: string; record: 'post' | 'draft'; allowed: Array<'guest' | 'alice' | 'bob'> }> = [
  { rule: 'author = @request.auth.id', record: 'post', allowed: ['alice'] },
  { rule: 'status = "published" || author = @request.auth.id', record: 'draft', allowed: ['alice'] },
  { rule: 'status = "published" || author = @request.auth.id', record: 'post', allowed: ['guest', 'alice', 'bob'] },
  { rule: 'author.name = "Alice" && @request.auth.id != ""', record: 'post', allowed: ['alice', 'bob'] },
  { rule: 'editors.id ?= @request.auth.id', record: 'post', allowed: ['bob'] },
  { rule: 'editors.id = @request.auth.id', record: 'post', allowed: ['bob'] },
  { rule: '@request.auth.role = "staff" && tags:length > 1', record: 'post', allowed: ['alice'] },
  { rule: 'tags:each != "c" && title:lower ~ "hello"', record: 'post', allowed: ['guest', 'alice', 'bob'] },
  { rule: '@collection.members.name ?= "Bob" && @request.auth.id != ""', record: 'draft', allowed: ['alice', 'bob'] },
  { rule: 'strftime("%Y", "2026-01-02") != "1999" && author.role = "staff"', record: 'draft', allowed: ['guest', 'alice', 'bob'] },
];

describe('the rule tester agrees with the API', () => {
  for (const [i, scenario] of SCENARIOS.entries()) {
    it(`#${i + 1} ${scenario.rule} (${scenario.record})`, async () => {
      await admin.collections.update('notes', { viewRule: scenario.rule });
      const id = scenario.record === 'post' ? post : draft;
      for (const who of ['guest', 'alice', 'bob'] as const) {
        const { pb, auth } = callers[who];
        const api = await pb.collection('notes').getOne(id).then(() => true, () => false);
        const result = await explained({ collection: 'notes', action: 'view', auth, record: id });
        expect(api, `${who}: the API's answer is the scenario's`).toBe(scenario.allowed.includes(who));
        expect(result.allowed, `${who}: ${JSON.stringify(result.trace)}`).toBe(api);
        expect(result.reason).toBe('rule');
        expect(result.trace?.passed).toBe(api);
        // a draft rule gives the same answer as the saved one
        expect((await explained({ collection: 'notes', action: 'view', auth, record: id, rule: scenario.rule })).allowed).toBe(api);
      }
    });
  }
});

describe('what the explanation shows', () => {
  it('names the failed clause and the values it compared', async () => {
    await admin.collections.update('notes', { viewRule: 'status = "published" && author = @request.auth.id' });
    const result = await explained({ collection: 'notes', action: 'view', auth: callers.bob.auth, record: post });
    expect(result.allowed).toBe(false);
    expect(result.summary).toContain('author = @request.auth.id');
    const status = clause(result.trace, 'status = "published"');
    expect(status).toMatchObject({ passed: true, left: { text: 'status', values: ['published'] }, right: { values: ['published'] } });
    const author = clause(result.trace, 'author = @request.auth.id');
    expect(author).toMatchObject({ passed: false, left: { values: [ids.alice] }, right: { text: '@request.auth.id', values: [ids.bob] } });
  });

  it('lists every item of a multi-valued path', async () => {
    const result = await explained({ collection: 'notes', action: 'view', auth: null, record: post, rule: 'tags ?= "c" || editors.name ?= "Nobody"' });
    expect(result.allowed).toBe(false);
    expect(clause(result.trace, 'tags ?= "c"')).toMatchObject({ passed: false, left: { values: ['a', 'b'] } });
    expect(clause(result.trace, 'editors.name ?= "Nobody"')).toMatchObject({ passed: false, left: { values: ['Bob'] } });
  });

  it('explains locked, public and superuser access without a trace', async () => {
    await admin.collections.update('notes', { viewRule: null, listRule: '' });
    expect(await explained({ collection: 'notes', action: 'view', auth: callers.alice.auth, record: post })).toMatchObject({ allowed: false, reason: 'locked' });
    expect(await explained({ collection: 'notes', action: 'list', auth: null, record: post })).toMatchObject({ allowed: true, reason: 'public' });
    expect(await explained({ collection: 'notes', action: 'view', auth: { collection: '_superusers', id: admin.authStore.record?.id }, record: post })).toMatchObject({ allowed: true, reason: 'superuser' });
  });

  it('checks a create rule against the would-be record and stores nothing', async () => {
    await admin.collections.update('notes', { createRule: 'author = @request.auth.id && @request.body.title:isset = true' });
    const before = (await admin.collection('notes').getList(1, 1)).totalItems;
    const own = await explained({ collection: 'notes', action: 'create', auth: callers.alice.auth, body: { title: 'New', author: ids.alice } });
    const other = await explained({ collection: 'notes', action: 'create', auth: callers.bob.auth, body: { title: 'New', author: ids.alice } });
    expect(own.allowed).toBe(true);
    expect(other.allowed).toBe(false);
    expect(clause(other.trace, 'author = @request.auth.id')).toMatchObject({ passed: false, left: { values: [ids.alice] } });
    expect((await admin.collection('notes').getList(1, 1)).totalItems).toBe(before);
    // and the API agrees
    await expect(callers.alice.pb.collection('notes').create({ title: 'New', author: ids.alice })).resolves.toBeTruthy();
    expect((await sdkFailure(callers.bob.pb.collection('notes').create({ title: 'New', author: ids.alice }))).status).toBe(400);
  });

  it('sees an update body as @request.body', async () => {
    await admin.collections.update('notes', { updateRule: '@request.body.status:isset = false' });
    expect((await explained({ collection: 'notes', action: 'update', auth: null, record: post, body: { title: 'x' } })).allowed).toBe(true);
    expect((await explained({ collection: 'notes', action: 'update', auth: null, record: post, body: { status: 'draft' } })).allowed).toBe(false);
  });
});

describe('bad requests', () => {
  const cases: Array<{ name: string; body: Record<string, unknown>; token?: string; status: number }> = [
    { name: 'a guest', body: { collection: 'notes', action: 'view', record: 'x' }, token: '', status: 401 },
    { name: 'a missing collection', body: { collection: 'nope', action: 'view', record: 'x' }, status: 404 },
    { name: 'an unknown action', body: { collection: 'notes', action: 'fly', record: 'x' }, status: 400 },
    { name: 'a missing record', body: { collection: 'notes', action: 'view', record: 'missing00000000' }, status: 404 },
    { name: 'no record for view', body: { collection: 'notes', action: 'view' }, status: 400 },
    { name: 'a missing auth record', body: { collection: 'notes', action: 'list', record: 'x', auth: { collection: 'members', id: 'nobody' } }, status: 404 },
    { name: 'auth on a base collection', body: { collection: 'notes', action: 'auth', record: 'x' }, status: 400 },
    { name: 'a draft rule that does not parse', body: { collection: 'notes', action: 'view', rule: 'title = = "x"' }, status: 400 },
    { name: 'a draft rule with an unknown field', body: { collection: 'notes', action: 'view', rule: 'nope = 1' }, status: 400 },
    { name: 'a body that is not an object', body: { collection: 'notes', action: 'create', body: [1] }, status: 400 },
  ];
  for (const c of cases) {
    it(`answers ${c.status} for ${c.name}`, async () => {
      const body = { ...c.body };
      if (body.record === 'x') body.record = post;
      const res = await explain(body, c.token ?? admin.authStore.token);
      const json = (await res.json()) as { status: number; message: string };
      expect(res.status, json.message).toBe(c.status);
      expect(json.status).toBe(c.status);
    });
  }

  it('answers 403 for a signed-in non-superuser', async () => {
    expect((await explain({ collection: 'notes', action: 'view', record: post }, callers.alice.pb.authStore.token)).status).toBe(403);
  });
});
