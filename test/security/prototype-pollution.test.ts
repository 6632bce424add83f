/**
 * Prototype pollution (CWE-1321) through every way a body reaches the server: JSON, urlencoded
 * forms (qs CVE-2022-24999), multipart fields and the `@jsonPayload` part, field modifiers, JSON
 * fields, batch, settings and GraphQL variables. Sources: Parse Server CVE-2022-24760 and
 * CVE-2022-41878 (prototype pollution via JSON bodies leading to RCE), qs CVE-2022-24999. The
 * server runs in this process, so a polluted `Object.prototype` would be visible here.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../helpers/test-server.js';
import { superuserToken, userToken } from '../helpers/tokens.js';
import { deepMerge } from '../../src/core/collections/auth-options.js';
import { appendValue } from '../../src/http/request-body.js';
import { call, closeTestDatabaseAdmins, createCollection, projectDialect, startAttackServer, type Answer } from './attack-kit.js';

let server: TestServer;
const PROTO_KEYS = ['polluted', 'isAdmin', 'role', 'superuser', 'listRule', 'allowHiddenFields', 'shell'];

function expectClean(): void {
  const probe: Record<string, unknown> = {};
  for (const key of PROTO_KEYS) expect(probe[key], `Object.prototype.${key}`).toBeUndefined();
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(Object.getOwnPropertyNames(Array.prototype)).not.toContain('polluted');
}

const rawJson = (path: string, text: string, token?: string) =>
  call(server.url, 'POST', path, { token, body: text, headers: { 'content-type': 'application/json' } });

function form(parts: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(parts)) data.append(k, v);
  return data;
}

afterAll(() => closeTestDatabaseAdmins());

describe.each([projectDialect()])('prototype pollution (%s)', () => {
  beforeAll(async () => {
    server = await startAttackServer();
    await createCollection(server, {
      name: 'pp_items', type: 'base', listRule: '', viewRule: '', createRule: '@request.body.isAdmin:isset = false', updateRule: '',
      fields: [{ name: 'title', type: 'text' }, { name: 'data', type: 'json' }, { name: 'tags', type: 'select', maxSelect: 3, values: ['a', 'b'] }],
    });
    await createCollection(server, {
      name: 'pp_names', type: 'base', listRule: '', viewRule: '', createRule: '',
      fields: [{ name: 'constructor', type: 'text' }, { name: 'valueOf', type: 'text' }, { name: 'toString', type: 'text' }],
    });
  });
  afterEach(() => expectClean());
  afterAll(async () => {
    await server?.close();
  });

  const items = '/api/collections/pp_items/records';

  /** [source, how the payload is sent] */
  const attacks: Array<[string, () => Promise<Answer>]> = [
    ['Parse CVE-2022-24760: __proto__ in a JSON body', () => rawJson(items, '{"title":"a","__proto__":{"polluted":"yes","isAdmin":true}}')],
    ['Parse CVE-2022-24760: constructor.prototype in a JSON body', () => rawJson(items, '{"title":"a","constructor":{"prototype":{"polluted":"yes"}}}')],
    ['Parse CVE-2022-41878: __proto__ inside a JSON field', () => rawJson(items, '{"title":"a","data":{"__proto__":{"polluted":"yes"},"a":{"__proto__":{"role":"x"}}}}')],
    ['Parse CVE-2022-41878: __proto__ as a field modifier', () => rawJson(items, '{"__proto__+":{"polluted":"yes"},"+__proto__":"x","tags+":"__proto__"}')],
    ['qs CVE-2022-24999: __proto__[polluted] in a urlencoded body', () => call(server.url, 'POST', items, {
      body: '__proto__[polluted]=yes&__proto__.polluted=yes&constructor[prototype][polluted]=yes&title=a', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })],
    ['qs CVE-2022-24999: a repeated __proto__ key in a urlencoded body', () => call(server.url, 'POST', items, {
      body: '__proto__=x&__proto__=y&toString=z&toString=w&valueOf=v&hasOwnProperty=h&title=a', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })],
    ['Parse CVE-2022-24760: __proto__ as a multipart field', () => call(server.url, 'POST', items, { body: form({ '__proto__': '{"polluted":"yes"}', 'constructor': 'x', 'title': 'a' }) })],
    ['Parse CVE-2022-24760: __proto__ inside @jsonPayload', () => call(server.url, 'POST', items, { body: form({ '@jsonPayload': '{"__proto__":{"polluted":"yes","isAdmin":true},"title":"a"}' }) })],
    ['Parse CVE-2022-24760: a repeated @jsonPayload with constructor', () => {
      const data = form({ '@jsonPayload': '{"constructor":{"prototype":{"polluted":"yes"}}}' });
      data.append('@jsonPayload', '{"__proto__":{"polluted":"yes"}}');
      return call(server.url, 'POST', items, { body: data });
    }],
    ['Parse CVE-2022-41878: __proto__ in a batch request body', () => rawJson('/api/batch', '{"requests":[{"method":"POST","url":"/api/collections/pp_items/records","body":{"__proto__":{"polluted":"yes"},"title":"b"}}],"__proto__":{"polluted":"yes"}}')],
    ['Parse CVE-2022-41878: __proto__ in the batch request headers', () => rawJson('/api/batch', '{"requests":[{"method":"POST","url":"/api/collections/pp_items/records","headers":{"__proto__":{"polluted":"yes"}},"body":{"title":"c"}}]}')],
    ['Parse CVE-2022-24760: __proto__ in settings (superuser)', () => call(server.url, 'PATCH', '/api/settings', {
      token: superuserToken, body: '{"meta":{"__proto__":{"polluted":"yes"}},"__proto__":{"polluted":"yes"},"rateLimits":{"rules":[{"__proto__":{"polluted":"yes"},"label":"x","maxRequests":5,"duration":5}]}}',
      headers: { 'content-type': 'application/json' },
    })],
    ['Parse CVE-2022-24760: __proto__ in a collection definition (superuser)', () => call(server.url, 'POST', '/api/collections', {
      token: superuserToken, body: '{"name":"pp_evil","type":"base","__proto__":{"listRule":""},"options":{"__proto__":{"polluted":"yes"}},"fields":[{"name":"t","type":"text","__proto__":{"hidden":true}}]}',
      headers: { 'content-type': 'application/json' },
    })],
    ['Parse CVE-2022-24760: __proto__ in GraphQL variables', () => rawJson('/api/graphql', '{"query":"query($f: String) { pp_items(filter: $f) { totalItems } }","variables":{"__proto__":{"polluted":"yes"},"f":"title = \'a\'"}}', userToken)],
    ['Parse CVE-2022-24760: __proto__ in a realtime subscription body', () => rawJson('/api/realtime', '{"clientId":"x","subscriptions":["pp_items"],"__proto__":{"polluted":"yes"}}')],
    ['Parse CVE-2022-24760: __proto__ in a query-string options parameter', () => call(server.url, 'GET', `${items}?filter=${encodeURIComponent('@request.query.__proto__ = "x"')}&__proto__[polluted]=yes`)],
    ['Parse CVE-2022-24760: @request.body.__proto__ in a rule probe', () => rawJson(items, '{"isAdmin":true,"title":"x"}')],
    ['Parse CVE-2022-24760: __proto__ in an auth request', () => rawJson('/api/collections/users/auth-with-password', '{"identity":"test@example.com","password":"x","__proto__":{"identityField":"id"}}')],
  ];

  it.each(attacks)('%s pollutes nothing and answers without a 5xx', async (_source, attack) => {
    const res = await attack();
    expect(res.status, res.text).toBeLessThan(500);
    // a record never inherits: every field it answers with is its own
    const record = res.json as Record<string, unknown> | undefined;
    if (record && typeof record === 'object' && !Array.isArray(record)) expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
  });

  it('Parse CVE-2022-24760: an isAdmin smuggled through __proto__ does not satisfy or dodge the :isset create rule', async () => {
    const direct = await rawJson(items, '{"isAdmin":true,"title":"x"}');
    expect(direct.status).toBe(400);
    const viaProto = await rawJson(items, '{"__proto__":{"isAdmin":true},"title":"x"}');
    expect(viaProto.status).toBeLessThan(500);
  });

  it('CWE-1321 a JSON field keeps a __proto__ key as plain data', async () => {
    const res = await rawJson(items, '{"title":"kept","data":{"__proto__":{"x":1},"k":2}}');
    expect(res.status, res.text).toBe(200);
    const view = await call(server.url, 'GET', `${items}/${(res.json as { id: string }).id}`);
    const data = (view.json as { data: Record<string, unknown> }).data;
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(data['k']).toBe(2);
  });

  it('regression (urlencoded fields named after Object.prototype members lost their values): constructor, valueOf, toString are kept', async () => {
    const res = await call(server.url, 'POST', '/api/collections/pp_names/records', {
      body: 'constructor=c1&valueOf=v1&toString=t1', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ constructor: 'c1', valueOf: 'v1', toString: 't1' });
  });

  it('regression (a settings patch with "__proto__" replaced the prototype of a settings object): nothing is inherited', async () => {
    const res = await call(server.url, 'PATCH', '/api/settings', {
      token: superuserToken, body: '{"meta":{"__proto__":{"polluted":"yes"}},"smtp":{"__proto__":{"enabled":true}}}', headers: { 'content-type': 'application/json' },
    });
    expect(res.status, res.text).toBe(200);
    const settings = server.app.settings.get() as unknown as Record<string, Record<string, unknown>>;
    expect(settings['meta']?.['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(settings['meta'])).toBe(Object.prototype);
    expect(Object.getPrototypeOf(settings['smtp'])).toBe(Object.prototype);
  });
});

describe('regression: the body and merge helpers keep "__proto__" and Object.prototype names as plain own keys', () => {
  it('appendValue', () => {
    const data: Record<string, unknown> = {};
    appendValue(data, '__proto__', 'a');
    appendValue(data, '__proto__', 'b');
    appendValue(data, 'constructor', 'c');
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.entries(data)).toEqual([['__proto__', ['a', 'b']], ['constructor', 'c']]);
  });

  it('deepMerge', () => {
    const merged = deepMerge({ a: { x: 1 } }, JSON.parse('{"a":{"__proto__":{"polluted":1}},"__proto__":{"polluted":2}}') as Record<string, unknown>);
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(merged['a'])).toBe(Object.prototype);
    expect(merged).toEqual({ a: { x: 1 } });
  });
});
