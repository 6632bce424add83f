/**
 * REST and GraphQL go through one authorization path: one scenario table, run through the
 * `pocketbase` SDK and through `graphql-request`, must give the same outcome (status, records,
 * fields) on both. A hidden field, a denied record, a locked rule or an API key's scope is as
 * invisible over GraphQL as over REST. GraphQL's forms of a denial, normalised here:
 * - a by-id query answers `null` where REST answers 404;
 * - a root field the caller's schema does not offer (a locked rule) fails validation with
 *   "Cannot query field" where REST answers 403;
 * - any other error carries REST's status in `extensions.status`.
 */
import { ClientResponseError } from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlClient, type GraphqlOutcome } from '../helpers/graphql-client.js';
import { subscribeOnce } from '../helpers/graphql-ws-client.js';
import { sdkClient, waitFor } from '../helpers/sdk-clients.js';
import { closeTestDatabaseAdmins, projectDialect } from '../helpers/test-databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { superuserToken, user2Token, userToken } from '../helpers/tokens.js';

const USER = '4q1xlclmfloku33';
const USER2 = 'oap640cot4yru2s';

type Caller = 'guest' | 'user' | 'user2' | 'superuser' | 'listKey';
type Op =
  | { kind: 'list'; collection: string; filter?: string; expand?: string }
  | { kind: 'view'; collection: string; id: string; expand?: string }
  | { kind: 'create'; collection: string; data: Record<string, unknown> }
  | { kind: 'update'; collection: string; id: string; data: Record<string, unknown> }
  | { kind: 'delete'; collection: string; id: string };

/** The outcome both transports are reduced to. */
interface Outcome {
  status: number;
  records?: Array<Record<string, unknown>>;
}

let server: TestServer;
let listKey = '';
const ids: Record<string, string> = {};

const tokenOf = (caller: Caller): string | undefined =>
  ({ guest: undefined, user: userToken, user2: user2Token, superuser: superuserToken, listKey })[caller];

/** The keys compared: what REST shows the caller (hidden `secret` only for superusers). */
const FIELDS: Record<string, (caller: Caller) => string[]> = {
  gp_posts: (caller) => ['id', 'title', 'public', 'owner', ...(caller === 'superuser' ? ['secret'] : [])],
  gp_comments: () => ['id', 'body', 'post'],
  gp_notes: () => ['id', 'text'],
};
const TYPES: Record<string, string> = { gp_posts: 'GpPosts', gp_comments: 'GpComments', gp_notes: 'GpNotes' };
const SORT: Record<string, string> = { gp_posts: 'title', gp_comments: 'body', gp_notes: 'text' };

function project(record: Record<string, unknown>, collection: string, caller: Caller, expand?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of FIELDS[collection]?.(caller) ?? []) out[key] = record[key];
  if (expand) {
    const ex = (record['expand'] ?? {}) as Record<string, unknown>;
    const value = ex[expand];
    out['expand'] = Array.isArray(value) ? value.map((r) => (r as { id: string }).id).sort() : ((value as { id?: string } | undefined)?.id ?? null);
  }
  return out;
}

async function viaRest(caller: Caller, op: Op): Promise<Outcome> {
  const records = sdkClient(server.url, tokenOf(caller)).collection(op.collection);
  try {
    switch (op.kind) {
      case 'list': {
        const items = await records.getFullList({ sort: SORT[op.collection], filter: op.filter, expand: op.expand });
        return { status: 200, records: items.map((r) => project(r, op.collection, caller, op.expand)) };
      }
      case 'view':
        return { status: 200, records: [project(await records.getOne(op.id, { expand: op.expand }), op.collection, caller, op.expand)] };
      case 'create':
        return { status: 200, records: [project(await records.create(op.data), op.collection, caller)] };
      case 'update':
        return { status: 200, records: [project(await records.update(op.id, op.data), op.collection, caller)] };
      case 'delete':
        await records.delete(op.id);
        return { status: 204 };
    }
  } catch (err) {
    if (err instanceof ClientResponseError) return { status: err.status };
    throw err;
  }
}

function selection(collection: string, caller: Caller, expand?: string): string {
  const fields = FIELDS[collection]?.(caller) ?? [];
  return `${fields.join(' ')}${expand ? ` expand { ${expand} { id } }` : ''}`;
}

function fromGraphql(res: GraphqlOutcome, pick: (data: Record<string, unknown>) => unknown): { status: number; value?: unknown } {
  const error = res.errors[0];
  if (error) {
    if (res.status === 400 && /Cannot query field/.test(error.message)) return { status: 403 };
    return { status: error.extensions?.status ?? res.status };
  }
  return { status: 200, value: pick(res.data ?? {}) };
}

async function viaGraphql(caller: Caller, op: Op): Promise<Outcome> {
  const gql = graphqlClient(server.url, tokenOf(caller));
  const fields = op.kind === 'delete' ? '' : selection(op.collection, caller, 'expand' in op ? op.expand : undefined);
  const norm = (r: unknown) => project(r as Record<string, unknown>, op.collection, caller, 'expand' in op ? op.expand : undefined);
  const type = TYPES[op.collection] ?? '';
  switch (op.kind) {
    case 'list': {
      const res = await gql.run(`query($f: String, $s: String) { ${op.collection}(sort: $s, perPage: 1000, filter: $f) { items { ${fields} } } }`, { f: op.filter ?? null, s: SORT[op.collection] });
      const out = fromGraphql(res, (d) => (d[op.collection] as { items: unknown[] }).items.map(norm));
      return { status: out.status, records: out.value as Outcome['records'] };
    }
    case 'view': {
      const res = await gql.run(`query($id: ID!) { ${op.collection}ById(id: $id) { ${fields} } }`, { id: op.id });
      const out = fromGraphql(res, (d) => d[`${op.collection}ById`]);
      if (out.status === 200 && out.value === null) return { status: 404 };
      return out.status === 200 ? { status: 200, records: [norm(out.value)] } : { status: out.status };
    }
    case 'create': {
      const res = await gql.run(`mutation($d: ${type}CreateInput!) { create${type}(data: $d) { ${fields} } }`, { d: op.data });
      const out = fromGraphql(res, (d) => d[`create${type}`]);
      return out.status === 200 ? { status: 200, records: [norm(out.value)] } : { status: out.status };
    }
    case 'update': {
      const res = await gql.run(`mutation($id: ID!, $d: ${type}UpdateInput!) { update${type}(id: $id, data: $d) { ${fields} } }`, { id: op.id, d: op.data });
      const out = fromGraphql(res, (d) => d[`update${type}`]);
      return out.status === 200 ? { status: 200, records: [norm(out.value)] } : { status: out.status };
    }
    case 'delete': {
      const res = await gql.run(`mutation($id: ID!) { delete${type}(id: $id) }`, { id: op.id });
      const out = fromGraphql(res, () => null);
      return { status: out.status === 200 ? 204 : out.status };
    }
  }
}

/** Reads scenario ids (`@p1`) once the records exist. */
const ref = (name: string) => ids[name] ?? name;

interface Scenario {
  name: string;
  caller: Caller;
  op: () => Op;
  status: number;
  /** The titles (or bodies) expected, in order; checked on REST, and GraphQL must equal REST. */
  expect?: string[];
}

const SCENARIOS: Scenario[] = [
  { name: 'guests list only public posts', caller: 'guest', op: () => ({ kind: 'list', collection: 'gp_posts' }), status: 200, expect: ['p1'] },
  { name: 'an owner lists its private posts too', caller: 'user', op: () => ({ kind: 'list', collection: 'gp_posts' }), status: 200, expect: ['p1', 'p2'] },
  { name: 'superusers list everything, hidden fields included', caller: 'superuser', op: () => ({ kind: 'list', collection: 'gp_posts' }), status: 200, expect: ['p1', 'p2', 'p3'] },
  { name: 'a filter cannot widen the list rule', caller: 'guest', op: () => ({ kind: 'list', collection: 'gp_posts', filter: "title != ''" }), status: 200, expect: ['p1'] },
  { name: 'a filter on a hidden field is refused (no oracle)', caller: 'user', op: () => ({ kind: 'list', collection: 'gp_posts', filter: "secret = 's2'" }), status: 400 },
  { name: 'superusers may filter on hidden fields', caller: 'superuser', op: () => ({ kind: 'list', collection: 'gp_posts', filter: "secret = 's2'" }), status: 200, expect: ['p2'] },
  { name: 'a denied view is a 404', caller: 'guest', op: () => ({ kind: 'view', collection: 'gp_posts', id: ref('p2') }), status: 404 },
  { name: 'an allowed view', caller: 'user', op: () => ({ kind: 'view', collection: 'gp_posts', id: ref('p2') }), status: 200, expect: ['p2'] },
  { name: 'another user cannot view a private post', caller: 'user', op: () => ({ kind: 'view', collection: 'gp_posts', id: ref('p3') }), status: 404 },
  { name: 'expanding a relation to a denied record leaves it out', caller: 'user', op: () => ({ kind: 'list', collection: 'gp_comments', expand: 'post' }), status: 200, expect: ['c1', 'c2', 'c3'] },
  { name: 'back-relations are filtered by their view rule', caller: 'guest', op: () => ({ kind: 'view', collection: 'gp_posts', id: ref('p1'), expand: 'gp_comments_via_post' }), status: 200, expect: ['p1'] },
  { name: 'a locked list rule is superusers only', caller: 'user', op: () => ({ kind: 'list', collection: 'gp_notes' }), status: 403 },
  { name: 'superusers pass a locked rule', caller: 'superuser', op: () => ({ kind: 'list', collection: 'gp_notes' }), status: 200, expect: ['n1'] },
  { name: 'a failed create rule is a 400', caller: 'guest', op: () => ({ kind: 'create', collection: 'gp_posts', data: { title: 'g', public: true } }), status: 400 },
  { name: 'a create that passes its rule', caller: 'user', op: () => ({ kind: 'create', collection: 'gp_posts', data: { title: 'u-new', public: false, owner: USER } }), status: 200, expect: ['u-new'] },
  { name: 'a create rule checks the body (no owner spoofing)', caller: 'user', op: () => ({ kind: 'create', collection: 'gp_posts', data: { title: 'spoof', owner: USER2 } }), status: 400 },
  { name: 'a validation error is a 400', caller: 'superuser', op: () => ({ kind: 'create', collection: 'gp_posts', data: { title: 'x'.repeat(200) } }), status: 400 },
  { name: "updating another user's post is a 404", caller: 'user', op: () => ({ kind: 'update', collection: 'gp_posts', id: ref('p3'), data: { title: 'hacked' } }), status: 404 },
  { name: 'an owner updates its post', caller: 'user2', op: () => ({ kind: 'update', collection: 'gp_posts', id: ref('p3'), data: { title: 'p3' } }), status: 200, expect: ['p3'] },
  { name: "deleting another user's post is a 404", caller: 'user2', op: () => ({ kind: 'delete', collection: 'gp_posts', id: ref('p1') }), status: 404 },
  { name: 'an API key reaches its scope', caller: 'listKey', op: () => ({ kind: 'list', collection: 'gp_posts' }), status: 200, expect: ['p1'] },
  { name: 'an API key outside its scope is a 403', caller: 'listKey', op: () => ({ kind: 'view', collection: 'gp_posts', id: ref('p1') }), status: 403 },
  { name: 'an API key cannot write outside its scope', caller: 'listKey', op: () => ({ kind: 'create', collection: 'gp_posts', data: { title: 'k' } }), status: 403 },
];

const label = (r: Record<string, unknown>) => String(r['title'] ?? r['body'] ?? r['text'] ?? '');

afterAll(() => closeTestDatabaseAdmins());

describe.each([projectDialect()])('REST and GraphQL parity (%s)', (dialect) => {
  beforeAll(async () => {
    server = await startTestServer({ fixture: true, dialect, removeInBackground: false });
    const admin = sdkClient(server.url, superuserToken);
    const users = await admin.collections.getOne('users');
    const visible = "public = true || owner = @request.auth.id";
    const posts = await admin.collections.create({
      name: 'gp_posts', type: 'base', listRule: visible, viewRule: visible,
      createRule: "@request.auth.id != '' && @request.body.owner = @request.auth.id",
      updateRule: 'owner = @request.auth.id', deleteRule: 'owner = @request.auth.id',
      fields: [
        { name: 'title', type: 'text', max: 100 }, { name: 'public', type: 'bool' },
        { name: 'secret', type: 'text', hidden: true }, { name: 'owner', type: 'relation', collectionId: users.id, maxSelect: 1 },
      ],
    });
    await admin.collections.create({
      name: 'gp_comments', type: 'base', listRule: '', viewRule: '',
      fields: [{ name: 'body', type: 'text' }, { name: 'post', type: 'relation', collectionId: posts.id, maxSelect: 1 }],
    });
    await admin.collections.create({ name: 'gp_notes', type: 'base', fields: [{ name: 'text', type: 'text' }] });
    ids['p1'] = (await admin.collection('gp_posts').create({ title: 'p1', public: true, secret: 's1', owner: USER })).id;
    ids['p2'] = (await admin.collection('gp_posts').create({ title: 'p2', public: false, secret: 's2', owner: USER })).id;
    ids['p3'] = (await admin.collection('gp_posts').create({ title: 'p3', public: false, secret: 's3', owner: USER2 })).id;
    for (const [i, post] of ['p1', 'p2', 'p3'].entries()) await admin.collection('gp_comments').create({ body: `c${i + 1}`, post: ids[post] });
    await admin.collection('gp_notes').create({ text: 'n1' });
    const key = await admin.send('/api/plinth/api-keys', { method: 'POST', body: { name: 'lister', scopes: [{ collection: 'gp_posts', actions: ['list'] }] } });
    listKey = (key as { key: string }).key;
  });

  afterAll(async () => {
    await server?.close();
  });

  it.each(SCENARIOS)('$name', async (scenario) => {
    const rest = await viaRest(scenario.caller, scenario.op());
    const graphql = await viaGraphql(scenario.caller, scenario.op());
    expect(rest.status, 'REST status').toBe(scenario.status);
    if (scenario.expect) expect(rest.records?.map(label)).toEqual(scenario.expect);
    // two creates make two records: their ids differ, the rest must not
    const withoutIds = (o: Outcome) => (scenario.op().kind === 'create' ? { ...o, records: o.records?.map(({ id: _id, ...r }) => r) } : o);
    expect(withoutIds(graphql)).toEqual(withoutIds(rest));
    // writes that succeeded are undone, so the next scenario sees the same data
    const created = rest.records?.[0];
    if (scenario.op().kind === 'create' && created) {
      const admin = sdkClient(server.url, superuserToken).collection('gp_posts');
      for (const r of await admin.getFullList({ filter: `title = "${label(created)}"` })) await admin.delete(r.id);
    }
  });

  it('names no hidden field in the public schema and refuses to select it', async () => {
    for (const caller of ['guest', 'user', 'listKey'] as const) {
      const res = await graphqlClient(server.url, tokenOf(caller)).run('{ gp_posts { items { id secret } } }');
      expect(res.status).toBe(400);
      expect(res.errors[0]?.message).toContain('Cannot query field "secret"');
      const typeInfo = await graphqlClient(server.url, tokenOf(caller)).run<{ __type: { fields: Array<{ name: string }> } }>('{ __type(name: "GpPosts") { fields { name } } }');
      expect(typeInfo.data?.__type.fields.map((f) => f.name)).not.toContain('secret');
    }
    const rest = await sdkClient(server.url, userToken).collection('gp_posts').getOne(ids['p1'] ?? '');
    expect(rest).not.toHaveProperty('secret');
  });

  it('redacts realtime events per subscriber over graphql-ws as over SSE', async () => {
    const guest = subscribeOnce(server.url, 'subscription { gp_postsEvents { action record { title } } }');
    const admin = subscribeOnce(server.url, 'subscription { gp_postsEvents { action record { title secret } } }', superuserToken);
    const before = server.app.realtime.clientCount;
    await Promise.all([guest.ready, admin.ready]);
    await waitFor(() => server.app.realtime.clientCount >= before + 2, 'both subscriptions registered');
    const sdk = sdkClient(server.url, superuserToken).collection('gp_posts');
    const hiddenPost = await sdk.create({ title: 'live-private', public: false, secret: 'sx', owner: USER2 });
    const publicPost = await sdk.create({ title: 'live-public', public: true, secret: 'sy', owner: USER2 });
    // the guest never hears of the private post: its first event is the public one
    expect(await guest.next()).toEqual({ gp_postsEvents: { action: 'create', record: { title: 'live-public' } } });
    expect(await admin.next()).toEqual({ gp_postsEvents: { action: 'create', record: { title: 'live-private', secret: 'sx' } } });
    await Promise.all([guest.close(), admin.close()]);
    await sdk.delete(hiddenPost.id);
    await sdk.delete(publicPost.id);
  });
});
