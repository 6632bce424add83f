/**
 * Abuse limits of `/api/graphql`: every request over a limit, malformed or hostile, gets a clear
 * GraphQL error with a 4xx status, never a 500 or a hang, and the server keeps serving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkClient } from '../helpers/sdk-clients.js';
import { closeTestDatabaseAdmins, projectDialect } from '../helpers/test-databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { superuserToken } from '../helpers/tokens.js';

let server: TestServer;

async function post(body: string, contentType = 'application/json') {
  const started = Date.now();
  const res = await fetch(`${server.url}/api/graphql`, { method: 'POST', headers: { 'content-type': contentType }, body });
  const text = await res.text();
  return { status: res.status, text, ms: Date.now() - started };
}

const nested = (levels: number) => `{ gl_nodes { items ${'{ expand { parent '.repeat(levels)}{ id }${' } }'.repeat(levels)} } }`;
const children = '{ expand { children { expand { children { expand { children { id } } } } } } }';
const query = (q: string) => JSON.stringify({ query: q });

interface AbuseCase {
  name: string;
  body: () => string;
  contentType?: string;
  status: number;
  /** A fragment of the answer (the message the client sees). */
  says: string;
}

const CASES: AbuseCase[] = [
  { name: 'a query deeper than maxDepth', body: () => query(nested(8)), status: 400, says: 'The query is too deep' },
  { name: 'more aliases than maxAliases', body: () => query(`{ ${Array.from({ length: 40 }, (_, i) => `a${i}: gl_nodes { perPage }`).join(' ')} }`), status: 400, says: 'too many aliases' },
  { name: 'a query costlier than maxCost', body: () => query(`{ gl_nodes(perPage: 1000) { items ${children} } }`), status: 400, says: 'The query is too expensive' },
  { name: 'a cost hidden in a variable', body: () => JSON.stringify({ query: `query($n: Int) { gl_nodes(perPage: $n) { items ${children} } }`, variables: { n: 1000 } }), status: 400, says: 'too expensive' },
  { name: 'fragments that spread each other', body: () => query('fragment A on GlNodes { ...B } fragment B on GlNodes { ...A } { gl_nodes { items { ...A } } }'), status: 400, says: 'Cannot spread fragment' },
  { name: 'a batch of more operations than maxBatch', body: () => JSON.stringify(Array.from({ length: 11 }, () => ({ query: '{ __typename }' }))), status: 400, says: 'between 1 and 10 operations' },
  { name: 'an empty batch', body: () => '[]', status: 400, says: 'between 1 and 10 operations' },
  { name: 'a query text over 100 000 characters', body: () => query(`{ __typename ${' '.repeat(100_001)}}`), status: 400, says: 'The query is too long' },
  { name: 'a parse bomb of many tokens', body: () => query(`{ ${'a '.repeat(30_000)} }`), status: 400, says: 'tokens' },
  { name: 'a body that is not JSON', body: () => '{"query": ', status: 400, says: 'invalid formatting' },
  { name: 'no query at all', body: () => '{}', status: 400, says: 'Missing the query' },
  { name: 'variables that are not an object', body: () => JSON.stringify({ query: '{ __typename }', variables: [1] }), status: 400, says: 'variables must be an object' },
  { name: 'an operationName that is not a string', body: () => JSON.stringify({ query: '{ __typename }', operationName: 7 }), status: 400, says: 'operationName must be a string' },
  { name: 'two operations and no operationName', body: () => query('query A { __typename } query B { __typename }'), status: 400, says: 'name the one to run' },
  { name: 'an unknown operationName', body: () => JSON.stringify({ query: 'query A { __typename }', operationName: 'B' }), status: 400, says: 'Unknown operation' },
  { name: 'a syntax error', body: () => query('{ gl_nodes { '), status: 400, says: 'Syntax Error' },
  { name: 'a variable of the wrong type', body: () => JSON.stringify({ query: 'query($n: Int) { gl_nodes(perPage: $n) { perPage } }', variables: { n: 'x' } }), status: 200, says: 'Int cannot represent' },
  { name: 'a regex-heavy filter', body: () => query(`{ gl_nodes(filter: "${'name ~ \\"a%a%a%a%a%a%a%a%\\" || '.repeat(40)}name = 1") { perPage } }`), status: 200, says: '"perPage":30' },
  { name: 'a filter with a bad field', body: () => query('{ gl_nodes(filter: "nope = 1") { perPage } }'), status: 200, says: 'Invalid filter' },
  { name: 'a huge perPage, clamped as REST does', body: () => query('{ gl_nodes(perPage: 999999999) { perPage } }'), status: 200, says: '"perPage":1000' },
  { name: 'a prototype-polluting input object', body: () => JSON.stringify({ query: 'mutation($d: GlNodesCreateInput!) { createGlNodes(data: $d) { name } }', variables: { d: { name: 'pp', __proto__: { polluted: true }, constructor: { prototype: { polluted: true } } } } }), status: 200, says: 'constructor' },
];

afterAll(() => closeTestDatabaseAdmins());

describe.each([projectDialect()])('GraphQL abuse limits (%s)', (dialect) => {
  beforeAll(async () => {
    server = await startTestServer({ fixture: true, dialect });
    const admin = sdkClient(server.url, superuserToken);
    const nodes = await admin.collections.create({ name: 'gl_nodes', type: 'base', listRule: '', viewRule: '', createRule: '', fields: [{ name: 'name', type: 'text' }] });
    await admin.collections.update(nodes.id, {
      fields: [...nodes.fields, { name: 'parent', type: 'relation', collectionId: nodes.id, maxSelect: 1 }, { name: 'children', type: 'relation', collectionId: nodes.id, maxSelect: 10 }],
    });
  });

  afterAll(async () => {
    await server?.close();
  });

  it.each(CASES)('$name', async ({ body, contentType, status, says }) => {
    const res = await post(body(), contentType);
    expect(res.status, res.text.slice(0, 300)).toBe(status);
    expect(res.text).toContain(says);
    expect(res.ms).toBeLessThan(5000);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('keeps serving after all of them', async () => {
    const res = await post(query('{ gl_nodes { perPage } }'));
    expect(res).toMatchObject({ status: 200, text: '{"data":{"gl_nodes":{"perPage":30}}}' });
  });

  it('follows the limits set in the settings', async () => {
    const admin = sdkClient(server.url, superuserToken);
    await admin.settings.update({ graphql: { maxDepth: 3 } });
    try {
      expect((await post(query('{ gl_nodes { items { expand { parent { id } } } } }'))).text).toContain('The query is too deep: 5 levels, at most 3 allowed.');
      expect((await post(query('{ gl_nodes { items { id } } }'))).status).toBe(200);
    } finally {
      await admin.settings.update({ graphql: { maxDepth: 16 } });
    }
  });
});
