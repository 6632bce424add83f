/**
 * Unrestricted resource consumption (OWASP API4:2023): oversized bodies, deeply nested JSON and
 * filters (stack exhaustion, CWE-674), huge `perPage`/`page`, LIKE and regex patterns that
 * backtrack (ReDoS, CWE-1333; SQLite's LIKE with many `%`), many expand levels and paths, huge
 * batches, GraphQL depth/alias/cost abuse (graphql-java CVE-2022-37734-class alias overloading)
 * and realtime subscription floods. Every request must answer a 4xx or a bounded 200 in under 5 s,
 * and the server must keep serving.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../helpers/test-server.js';
import { superuserToken, userToken } from '../helpers/tokens.js';
import { call, closeTestDatabaseAdmins, createCollection, createRecord, projectDialect, startAttackServer, type Answer } from './attack-kit.js';

let server: TestServer;
const LIMIT_MS = 5000;

const list = (query: string, token?: string) => call(server.url, 'GET', `/api/collections/rl_nodes/records?${query}`, { token });
const enc = encodeURIComponent;
const gql = (body: unknown) => call(server.url, 'POST', '/api/graphql', { body, token: userToken });

function bounded(res: Answer): void {
  expect(res.status, res.text.slice(0, 300)).toBeLessThan(500);
  expect(res.ms).toBeLessThan(LIMIT_MS);
}

afterAll(() => closeTestDatabaseAdmins());

describe.each([projectDialect()])('unrestricted resource consumption (%s)', () => {
  beforeAll(async () => {
    server = await startAttackServer();
    const nodes = await createCollection(server, {
      name: 'rl_nodes', type: 'base', listRule: '', viewRule: '', createRule: '', updateRule: '',
      fields: [
        { name: 'name', type: 'text', max: 5000 },
        { name: 'data', type: 'json', maxSize: 2_000_000 },
        { name: 'code', type: 'text', pattern: '^([a-z]+)+$' },
      ],
    });
    const patched = await call(server.url, 'PATCH', `/api/collections/${nodes.id}`, {
      token: superuserToken,
      body: { fields: [
        { name: 'name', type: 'text', max: 5000 }, { name: 'data', type: 'json', maxSize: 2_000_000 }, { name: 'code', type: 'text', pattern: '^([a-z]+)+$' },
        { name: 'parent', type: 'relation', collectionId: nodes.id, maxSelect: 1 },
        { name: 'children', type: 'relation', collectionId: nodes.id, maxSelect: 100 },
      ] },
    });
    expect(patched.status, patched.text).toBe(200);
    let parent = '';
    for (let i = 0; i < 8; i++) parent = await createRecord(server, 'rl_nodes', { name: 'a'.repeat(3000), ...(parent ? { parent, children: [parent] } : {}) });
  });
  afterEach(async () => {
    // the server keeps serving after each attack
    expect((await call(server.url, 'GET', '/api/health')).status).toBe(200);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('API4:2023 a body over the limit answers 413 in the error envelope', async () => {
    const huge = `{"name":"${'x'.repeat(33 << 20)}"}`;
    const res = await call(server.url, 'POST', '/api/collections/rl_nodes/records', { body: huge, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(413);
    expect(res.json).toMatchObject({ status: 413 });
  });

  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
  const deepObject = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
  const deepBodies: Array<[string, string]> = [
    ['CWE-674 a JSON body nested 100 000 arrays deep', deep(100_000)],
    ['CWE-674 a JSON field nested 100 000 arrays deep', `{"data":${deep(100_000)}}`],
    ['CWE-674 a JSON field nested 50 000 objects deep', `{"data":${deepObject(50_000)}}`],
    ['CWE-674 a batch body nested 100 000 deep', `{"requests":${deep(100_000)}}`],
  ];

  it.each(deepBodies)('%s answers without a 5xx', async (_source, body) => {
    const path = body.startsWith('{"requests"') ? '/api/batch' : '/api/collections/rl_nodes/records';
    bounded(await call(server.url, 'POST', path, { body, headers: { 'content-type': 'application/json' } }));
  });

  const queries: Array<[string, string]> = [
    ['CWE-674 a filter nested 20 000 parentheses deep', `filter=${enc(`${'('.repeat(20_000)}name = 'a'${')'.repeat(20_000)}`)}`],
    ['CWE-674 a filter of 20 000 negations', `filter=${enc(`${'!'.repeat(20_000)}(name = 'a')`)}`],
    ['API4:2023 a filter of 5 000 || terms', `filter=${enc(Array.from({ length: 5000 }, (_, i) => `name = 'x${i}'`).join(' || '))}`],
    ['API4:2023 a 100 000-character filter string literal', `filter=${enc(`name = '${'a'.repeat(100_000)}'`)}`],
    ['CWE-1333 SQLite LIKE with 40 wildcards against long values', `filter=${enc(`name ~ '${'%a'.repeat(40)}b'`)}`],
    ['CWE-1333 LIKE with many _ wildcards', `filter=${enc(`name ~ '${'_%'.repeat(60)}z'`)}`],
    ['CWE-1333 a :lower LIKE with wildcards on a JSON path', `filter=${enc(`data.a.b:lower ~ '${'%a'.repeat(30)}'`)}`],
    ['API4:2023 perPage of a billion is clamped', 'perPage=1000000000'],
    ['API4:2023 a negative perPage', 'perPage=-5'],
    ['API4:2023 page beyond 2^63', 'page=99999999999999999999'],
    ['API4:2023 expand deeper than 6 levels', `expand=${enc(Array.from({ length: 40 }, () => 'parent').join('.'))}`],
    ['API4:2023 expand of 2 000 paths', `expand=${enc(Array.from({ length: 2000 }, (_, i) => `parent${'.parent'.repeat(i % 6)}`).join(','))}`],
    ['API4:2023 expand of back-relations 6 deep on every row', `expand=${enc('rl_nodes_via_parent.rl_nodes_via_parent.rl_nodes_via_children.rl_nodes_via_children.children.children')}&perPage=1000`],
    ['API4:2023 fields with 10 000 entries', `fields=${enc(Array.from({ length: 10_000 }, (_, i) => `f${i}`).join(','))}`],
    ['API4:2023 fields :excerpt with a huge length', `fields=${enc('name:excerpt(999999999,true)')}`],
    ['API4:2023 sort by 1 000 keys', `sort=${enc(Array.from({ length: 1000 }, () => '-name').join(','))}`],
    ['API4:2023 sort by @random on a full page', 'sort=@random&perPage=1000'],
    ['API4:2023 a filter with 30 relation hops', `filter=${enc(`${Array.from({ length: 30 }, () => 'parent').join('.')}.name = 'a'`)}`],
    ['API4:2023 a filter with many @collection joins', `filter=${enc(Array.from({ length: 60 }, (_, i) => `@collection.rl_nodes:a${i}.name ?= 'x'`).join(' && '))}`],
  ];

  it.each(queries)('%s is bounded', async (_source, query) => {
    const res = await list(query);
    bounded(res);
    if (res.status === 200) expect((res.json as { perPage: number }).perPage).toBeLessThanOrEqual(1000);
  });

  it('regression (a field pattern such as ^([a-z]+)+$ froze the server for minutes, CWE-1333 ReDoS): a create answers in under 5 s', async () => {
    const res = await call(server.url, 'POST', '/api/collections/rl_nodes/records', { body: { code: `${'a'.repeat(40)}!` } });
    bounded(res);
    expect(res.status).toBe(400);
    const ok = await call(server.url, 'POST', '/api/collections/rl_nodes/records', { body: { code: 'abc' } });
    expect(ok.status, ok.text).toBe(200);
  });

  it('regression (CWE-1333): lookarounds and backreferences, which RE2 refuses, are refused as patterns', async () => {
    for (const pattern of ['^(?=a)(a+)+$', '^(a+)\\1$', '(?<!x)a']) {
      const res = await call(server.url, 'POST', '/api/collections', {
        token: superuserToken, body: { name: 'rl_bad_pattern', type: 'base', fields: [{ name: 't', type: 'text', pattern }] },
      });
      expect(res.status, pattern).toBe(400);
      expect(res.text).toContain('validation_invalid_regex');
    }
  });

  it.each([
    ['the logs', '/api/logs?page=99999999999999999999&skipTotal=-1'],
    ['the records', '/api/collections/rl_nodes/records?page=99999999999999999999'],
    ['the collections', '/api/collections?page=99999999999999999999'],
  ])('regression (a page past 2^53 answered 500 on /api/logs, found by the fuzz soak): %s answer 400', async (_name, path) => {
    const res = await call(server.url, 'GET', path, { token: superuserToken });
    expect(res.status, res.text).toBe(400);
  });

  it('API4:2023 a batch over maxRequests is refused at once', async () => {
    const requests = Array.from({ length: 5000 }, () => ({ method: 'POST', url: '/api/collections/rl_nodes/records', body: { name: 'b' } }));
    const res = await call(server.url, 'POST', '/api/batch', { body: { requests }, token: superuserToken });
    bounded(res);
    expect(res.status).toBe(400);
  });

  it('API4:2023 a realtime client with 20 000 subscriptions is refused or bounded', async () => {
    const controller = new AbortController();
    const sse = await fetch(`${server.url}/api/realtime`, { signal: controller.signal });
    const reader = sse.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    const clientId = /"clientId":"(\w+)"/.exec(first)?.[1] ?? '';
    try {
      const subscriptions = Array.from({ length: 20_000 }, (_, i) => `rl_nodes/${i}?options=${enc(JSON.stringify({ query: { expand: 'parent' } }))}`);
      bounded(await call(server.url, 'POST', '/api/realtime', { body: { clientId, subscriptions } }));
    } finally {
      controller.abort();
    }
  });

  const graphql: Array<[string, unknown]> = [
    ['OWASP API4:2023 GraphQL depth bomb', { query: `{ rl_nodes { items ${'{ expand { parent '.repeat(30)}{ id }${' } }'.repeat(30)} } }` }],
    ['graphql-java CVE-2022-37734-class alias overloading', { query: `{ ${Array.from({ length: 2000 }, (_, i) => `a${i}: rl_nodes { perPage }`).join(' ')} }` }],
    ['OWASP API4:2023 GraphQL field duplication', { query: `{ rl_nodes { items { ${'name '.repeat(20_000)} } } }` }],
    ['OWASP API4:2023 GraphQL directive overloading', { query: `{ rl_nodes ${'@include(if: true) '.repeat(5000)} { perPage } }` }],
    ['OWASP API4:2023 GraphQL cost of wide expansions', { query: '{ rl_nodes(perPage: 1000) { items { expand { children { expand { children { expand { children { id } } } } } } } } }' }],
    ['OWASP API4:2023 GraphQL batch of 1 000 operations', Array.from({ length: 1000 }, () => ({ query: '{ rl_nodes(perPage: 1000) { items { id } } }' }))],
    ['OWASP API4:2023 GraphQL introspection cycle', { query: `{ __schema { types { ${'fields { type { ofType { fields { type { '.repeat(10)} name ${' } } } } }'.repeat(10)} } } }` }],
  ];

  it.each(graphql)('%s is refused with a 4xx', async (_source, body) => {
    const res = await gql(body);
    bounded(res);
    expect(res.status).toBeGreaterThanOrEqual(400);
  });
});
