/**
 * Property-based fuzzing of every registered route (issue 19), shared by
 * test/security/route-fuzz.test.ts (a bounded run in CI) and bench/fuzz-soak.ts (a long soak).
 *
 * The API description is generated: the routes come from the Fastify instance itself
 * (`printRoutes()`, parsed back into method + path), the param values and body shapes from the
 * small tables below. Each case is one request as a guest, a user or (GET only) a superuser, with
 * random or malformed params, query and body. The properties: never a 5xx, never slower than
 * 5 s, and never a change to data a guest or user may not write (snapshotted before and after).
 */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { superuserToken, userToken } from '../helpers/tokens.js';

/** One route of the API as registered. */
export interface ApiRoute {
  method: string;
  /** Fastify's path, e.g. `/api/collections/:collection/records/:id`. */
  path: string;
}

/** Routes whose answer is a stream by design (SSE), or that only exist as a catch-all. */
const SKIPPED = new Set(['GET /api/realtime', 'GET /api/graphql/*', 'OPTIONS *']);

/**
 * The registered routes, read back from `printRoutes({ commonPrefix: false })`: each line is a
 * tree node (`│   ├── /records (GET, HEAD, POST)`) whose depth is its indentation / 4 and whose
 * path is its parents' paths plus its own. HEAD (a GET without a body) and OPTIONS are left out.
 */
export function apiRoutes(http: FastifyInstance): ApiRoute[] {
  const stack: string[] = [];
  const routes: ApiRoute[] = [];
  for (const line of http.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+)(?: \(([^)]*)\))?/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    stack.length = depth;
    const path = `${stack.join('')}${match[2] ?? ''}`;
    stack.push(match[2] ?? '');
    for (const method of (match[3] ?? '').split(',').map((m) => m.trim()).filter(Boolean)) {
      if (method === 'HEAD' || method === 'OPTIONS' || SKIPPED.has(`${method} ${path}`)) continue;
      routes.push({ method, path });
    }
  }
  return routes;
}

/** The ids and names the fixture and the fuzz collections hold (and some that do not exist). */
export interface FuzzWorld {
  collections: string[];
  ids: string[];
}

const nasty = fc.constantFrom(
  '', ' ', '%', '%00', '..', '../..', '\u0000', "'", '"', '`', '\\', '*', '@request.auth.id', '__proto__', 'constructor',
  'a'.repeat(2000), '\u202e', '😀', '-1', '1e309', 'NaN', 'null', 'true', '[]', '{}', '(', ')', '&&', '||', '~', ':each', '@collection.users.email',
);
const text = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }), nasty);

/** A filter-ish expression: random tokens of the filter language, often invalid. */
const filterExpr = fc.array(fc.oneof(
  fc.constantFrom('id', 'title', 'secret', 'owner', 'owner.email', 'email', 'password', 'tokenKey', 'created', 'rel.rel', 'users_via_rel.id',
    '@request.auth.id', '@request.body.x', '@collection.users.id', '@now', 'tags:each', 'tags:length', 'title:lower', 'geoDistance(1,2,3,4)'),
  fc.constantFrom('=', '!=', '>', '<', '~', '!~', '?=', '?~', '&&', '||', '(', ')', '!'),
  fc.string({ maxLength: 12 }).map((s) => `'${s}'`),
  fc.integer().map(String),
  nasty,
), { maxLength: 12 }).map((parts) => parts.join(' '));

const queryValue = fc.oneof(text, filterExpr, fc.integer().map(String), fc.constantFrom('1000000', '-1', '0', '99999999999999999999', '1.5', 'true'));
const queryKey = fc.constantFrom('filter', 'sort', 'expand', 'fields', 'page', 'perPage', 'skipTotal', 'token', 'thumb', 'download', 'query', 'options', 'x');

/** Body shapes per route (by path suffix), beside random JSON. */
function bodyShapes(world: FuzzWorld): Record<string, fc.Arbitrary<unknown>> {
  const id = fc.oneof(fc.constantFrom(...world.ids), text);
  return {
    '/auth-with-password': fc.record({ identity: fc.oneof(fc.constantFrom('test@example.com', 'test2@example.com'), text), password: text, identityField: fc.option(text) }, { requiredKeys: [] }),
    '/auth-with-otp': fc.record({ otpId: id, password: text }, { requiredKeys: [] }),
    '/auth-with-oauth2': fc.record({ provider: text, code: text, codeVerifier: text, redirectURL: text, createData: fc.jsonValue() }, { requiredKeys: [] }),
    '/request-otp': fc.record({ email: text }, { requiredKeys: [] }),
    '/request-password-reset': fc.record({ email: text }, { requiredKeys: [] }),
    '/request-verification': fc.record({ email: text }, { requiredKeys: [] }),
    '/request-email-change': fc.record({ newEmail: text }, { requiredKeys: [] }),
    '/confirm-password-reset': fc.record({ token: text, password: text, passwordConfirm: text }, { requiredKeys: [] }),
    '/confirm-verification': fc.record({ token: text }, { requiredKeys: [] }),
    '/confirm-email-change': fc.record({ token: text, password: text }, { requiredKeys: [] }),
    '/records': fc.dictionary(fc.oneof(fc.constantFrom('title', 'secret', 'owner', 'owner+', '+tags', 'tags-', 'verified', 'tokenKey', 'email', 'password', 'passwordConfirm', 'oldPassword', 'id', 'created', 'collectionId', '__proto__', '@jsonPayload'), text), fc.oneof(text, fc.jsonValue(), id), { maxKeys: 6 }),
    '/api/batch': fc.record({ requests: fc.array(fc.record({ method: fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'x'), url: fc.oneof(fc.constantFrom('/api/collections/fz_locked/records', '/api/collections/users/records', `/api/collections/fz_locked/records/${world.ids[0] ?? 'x'}`, '/api/settings'), text), body: fc.jsonValue() }, { requiredKeys: [] }), { maxLength: 4 }) }, { requiredKeys: [] }),
    '/api/realtime': fc.record({ clientId: text, subscriptions: fc.array(fc.oneof(fc.constantFrom(...world.collections), text, fc.constantFrom('fz_locked/*?options={"query":{"filter":"secret=1"}}', '@oauth2')), { maxLength: 5 }) }, { requiredKeys: [] }),
    '/api/graphql': fc.record({ query: fc.oneof(text, fc.constantFrom('{ fz_locked { items { id } } }', '{ users { items { id email } } }', 'mutation { deleteFzLocked(id: "x") }', '{ __schema { types { name } } }')), variables: fc.jsonValue(), operationName: fc.option(text) }, { requiredKeys: [] }),
    '/api/collections': fc.record({ name: text, type: fc.constantFrom('base', 'auth', 'view', 'x'), fields: fc.array(fc.record({ name: text, type: text })), listRule: fc.option(text), viewQuery: text }, { requiredKeys: [] }),
    '/api/settings': fc.record({ meta: fc.jsonValue(), rateLimits: fc.jsonValue(), superuserIPs: fc.array(text) }, { requiredKeys: [] }),
    '/api/files/token': fc.constant({}),
  };
}

/** One generated request. */
export interface FuzzCase {
  caller: 'guest' | 'user' | 'superuser';
  method: string;
  path: string;
  query: string;
  /** What is sent: no body, JSON of a value, raw text under a content type, or multipart. */
  body:
    | { kind: 'none' }
    | { kind: 'json'; value: unknown }
    | { kind: 'raw'; contentType: string; text: string }
    | { kind: 'multipart'; fields: Array<[string, string]>; file?: { field: string; name: string; content: string } };
}

/** The arbitrary of cases over `routes`. Superusers only make GET requests (they may change anything). */
export function fuzzCases(routes: readonly ApiRoute[], world: FuzzWorld): fc.Arbitrary<FuzzCase> {
  const shapes = bodyShapes(world);
  const param = (name: string): fc.Arbitrary<string> => {
    if (name === 'collection') return fc.oneof(fc.constantFrom(...world.collections), text);
    if (name === 'id' || name === 'recordId') return fc.oneof(fc.constantFrom(...world.ids), text);
    return fc.oneof(text, fc.constantFrom('x.png', 'test.txt', '..%2f..%2fdata.db', 'data.db'));
  };
  return fc.constantFrom(...routes).chain((route) => {
    const names = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1] ?? '');
    const shape = Object.entries(shapes).find(([suffix]) => route.path.endsWith(suffix))?.[1] ?? fc.jsonValue();
    const body: fc.Arbitrary<FuzzCase['body']> = route.method === 'GET' ? fc.constant({ kind: 'none' as const }) : fc.oneof(
      { weight: 5, arbitrary: shape.map((value) => ({ kind: 'json' as const, value })) },
      { weight: 2, arbitrary: fc.jsonValue().map((value) => ({ kind: 'json' as const, value })) },
      { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
      {
        weight: 1, arbitrary: fc.record({
          contentType: fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data', 'application/json; charset=utf-7'),
          text: fc.oneof(text, fc.constantFrom('{', '{"a":', '[1,2', '\u0000', '{"__proto__":{"x":1}}', `${'['.repeat(5000)}`, 'a=1&a=2&__proto__=x&constructor=y')),
        }).map((r) => ({ kind: 'raw' as const, ...r })),
      },
      {
        weight: 1, arbitrary: fc.record({
          fields: fc.array(fc.tuple(fc.oneof(fc.constantFrom('@jsonPayload', 'title', 'owner', 'file', '__proto__'), text), fc.oneof(text, fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null'))), { maxLength: 4 }),
          file: fc.option(fc.record({ field: fc.constantFrom('file', 'avatar', 'doc', 'x'), name: fc.oneof(text, fc.constantFrom('a.svg', '../x.html', 'x.png')), content: text }), { nil: undefined }),
        }).map((r) => ({ kind: 'multipart' as const, ...r })),
      },
    );
    return fc.record({
      caller: route.method === 'GET' ? fc.constantFrom('guest' as const, 'user' as const, 'superuser' as const) : fc.constantFrom('guest' as const, 'user' as const),
      params: fc.tuple(...names.map(param)),
      query: fc.array(fc.tuple(queryKey, queryValue), { maxLength: 4 }),
      body,
    }).map(({ caller, params, query, body }): FuzzCase => {
      let i = 0;
      const path = route.path.replace(/:(\w+)/g, () => encodeURIComponent(params[i++] ?? ''));
      return { caller, method: route.method, path, query: new URLSearchParams(query).toString(), body };
    });
  });
}

/** The outcome of one case. */
export interface FuzzOutcome {
  status: number;
  ms: number;
  text: string;
}

/** Sends one case; throws when it takes more than `timeoutMs` (the hang property). */
export async function sendCase(base: string, c: FuzzCase, timeoutMs = 5000): Promise<FuzzOutcome> {
  const headers: Record<string, string> = {};
  if (c.caller === 'user') headers['authorization'] = userToken;
  if (c.caller === 'superuser') headers['authorization'] = superuserToken;
  let body: RequestInit['body'];
  if (c.body.kind === 'json') {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(c.body.value) ?? 'null';
  } else if (c.body.kind === 'raw') {
    headers['content-type'] = c.body.contentType;
    body = c.body.text;
  } else if (c.body.kind === 'multipart') {
    const form = new FormData();
    for (const [k, v] of c.body.fields) form.append(k, v);
    if (c.body.file) form.append(c.body.file.field, new Blob([c.body.file.content]), c.body.file.name || 'x');
    body = form;
  }
  const started = performance.now();
  const res = await fetch(`${base}${c.path}${c.query ? `?${c.query}` : ''}`, { method: c.method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  return { status: res.status, ms: performance.now() - started, text };
}

/** The collections a fuzz run creates on a fixture server, and the ids they hold. */
export async function seedFuzzWorld(base: string): Promise<FuzzWorld> {
  const admin = async (method: string, path: string, body: unknown) => {
    const res = await fetch(base + path, { method, headers: { 'content-type': 'application/json', authorization: superuserToken }, body: JSON.stringify(body) });
    if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string };
  };
  const locked = await admin('POST', '/api/collections', {
    name: 'fz_locked', type: 'base', listRule: null, viewRule: null, createRule: null, updateRule: null, deleteRule: null,
    fields: [{ name: 'title', type: 'text' }, { name: 'secret', type: 'text', hidden: true }, { name: 'owner', type: 'relation', collectionId: '_pb_users_auth_', maxSelect: 1 }],
  });
  await admin('POST', '/api/collections', {
    name: 'fz_owned', type: 'base', listRule: 'owner = @request.auth.id', viewRule: 'owner = @request.auth.id',
    createRule: 'owner = @request.auth.id', updateRule: 'owner = @request.auth.id && @request.body.owner:isset = false', deleteRule: 'owner = @request.auth.id',
    fields: [{ name: 'title', type: 'text' }, { name: 'owner', type: 'relation', collectionId: '_pb_users_auth_', maxSelect: 1 }, { name: 'doc', type: 'file', maxSelect: 1 }],
  });
  const ids: string[] = ['oap640cot4yru2s', 'bgs820n361vj1qd', 'sywbhecnh46rhm0'];
  for (let i = 0; i < 3; i++) ids.push((await admin('POST', '/api/collections/fz_locked/records', { title: `l${i}`, secret: `s${i}`, owner: 'oap640cot4yru2s' })).id);
  ids.push((await admin('POST', '/api/collections/fz_owned/records', { title: 'theirs', owner: 'oap640cot4yru2s' })).id);
  void locked;
  return { collections: ['users', 'demo1', 'demo2', 'demo3', 'clients', 'view1', 'fz_locked', 'fz_owned', '_superusers', '_otps', '_mfas', '_externalAuths', 'nope'], ids };
}

/**
 * What a guest or user must never change, read as a superuser: the collections (schema and
 * rules), the settings, the locked collection, other users' records, superusers, another
 * owner's record and the webhooks.
 */
export async function protectedSnapshot(base: string): Promise<string> {
  const paths = [
    '/api/collections?perPage=500&sort=name',
    '/api/settings',
    '/api/collections/fz_locked/records?perPage=500&sort=id',
    `/api/collections/users/records?perPage=500&sort=id&filter=${encodeURIComponent("id = 'oap640cot4yru2s' || id = 'bgs820n361vj1qd'")}&fields=id,email,verified,name,updated`,
    '/api/collections/_superusers/records?perPage=500&sort=id&fields=id,email,updated',
    `/api/collections/fz_owned/records?perPage=500&sort=id&filter=${encodeURIComponent("owner = 'oap640cot4yru2s'")}`,
    '/api/webhooks?perPage=500',
  ];
  const parts = await Promise.all(paths.map(async (path) => {
    const res = await fetch(base + path, { headers: { authorization: superuserToken } });
    return `${path} ${res.status} ${await res.text()}`;
  }));
  return parts.join('\n');
}
