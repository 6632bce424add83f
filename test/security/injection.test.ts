/**
 * SQL injection through identifiers and values (OWASP API8:2023 security misconfiguration /
 * CWE-89), on whichever dialect the vitest project runs (sqlite, postgres, mysql = MariaDB):
 * collection and field names, index definitions, view queries (stacked and writing statements),
 * filter values and paths, JSON paths, sort, expand, fields and ids. Sources: Directus
 * CVE-2022-22116-class filter injection, Strapi CVE-2019-19609-class identifier injection, Hasura
 * GHSA-g7mj-g7f4-hgrg-class (raw SQL through column names) and MySQL's backslash escapes (CWE-89
 * with NO_BACKSLASH_ESCAPES off). After every row the canary tables must be intact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../helpers/test-server.js';
import { superuserToken, userToken } from '../helpers/tokens.js';
import { call, closeTestDatabaseAdmins, createCollection, createRecord, projectDialect, startAttackServer } from './attack-kit.js';

let server: TestServer;
let canaryBefore = '';

const asAdmin = (method: string, path: string, body?: unknown) => call(server.url, method, path, { token: superuserToken, body });

/** Counts that an injected statement would change: users, collections, the canary rows. */
async function canary(): Promise<string> {
  const users = await asAdmin('GET', '/api/collections/users/records?perPage=1');
  const collections = await asAdmin('GET', '/api/collections?perPage=1');
  const rows = await asAdmin('GET', '/api/collections/inj_canary/records?perPage=1');
  const secret = await asAdmin('GET', '/api/collections/inj_canary/records?filter=' + encodeURIComponent("title = 'keep'"));
  return JSON.stringify([users.status, (users.json as { totalItems: number }).totalItems, (collections.json as { totalItems: number }).totalItems,
    (rows.json as { totalItems: number }).totalItems, (secret.json as { totalItems: number }).totalItems]);
}

afterAll(() => closeTestDatabaseAdmins());

describe.each([projectDialect()])('SQL injection through identifiers and values (%s)', (dialect) => {
  beforeAll(async () => {
    server = await startAttackServer();
    await createCollection(server, {
      name: 'inj_canary', type: 'base', listRule: "owner = 'nobody'", viewRule: "owner = 'nobody'", createRule: '', updateRule: null,
      fields: [
        { name: 'title', type: 'text' },
        { name: 'owner', type: 'text' },
        { name: 'meta', type: 'json' },
        { name: 'n', type: 'number' },
      ],
    });
    await createRecord(server, 'inj_canary', { title: 'keep', owner: 'x', meta: { a: { b: 1 } }, n: 1 });
    await createRecord(server, 'inj_canary', { title: 'it\'s "quoted"', owner: '\\\'', meta: {}, n: 2 });
    canaryBefore = await canary();
  });

  afterAll(async () => {
    await server?.close();
  });

  /** [source, collection definition]: each must be refused with 400. */
  const badDefinitions: Array<[string, Record<string, unknown>]> = [
    ['CWE-89 collection name with a double quote', { name: 'x"; DROP TABLE users; --', type: 'base' }],
    ['CWE-89 collection name with a backtick (MySQL)', { name: 'x`; DROP TABLE users; -- ', type: 'base' }],
    ['CWE-89 collection name with a bracket (SQLite)', { name: 'x]; DROP TABLE users; --', type: 'base' }],
    ['CWE-89 collection name with a space and a comment', { name: 'inj x --', type: 'base' }],
    ['CWE-89 field name with a double quote', { name: 'inj_f1', type: 'base', fields: [{ name: 'a" TEXT); DROP TABLE users; --', type: 'text' }] }],
    ['CWE-89 field name with a backtick', { name: 'inj_f2', type: 'base', fields: [{ name: 'a` TEXT); DROP TABLE users; --', type: 'text' }] }],
    ['CWE-89 field name with a single quote', { name: 'inj_f3', type: 'base', fields: [{ name: "a'b", type: 'text' }] }],
    ['CWE-89 stacked statement after an index', { name: 'inj_i1', type: 'base', fields: [{ name: 'title', type: 'text' }],
      indexes: ['CREATE INDEX idx_inj_i1 ON inj_i1 (title); DROP TABLE users'] }],
    ['CWE-89 index on another table', { name: 'inj_i2', type: 'base', fields: [{ name: 'title', type: 'text' }],
      indexes: ['CREATE INDEX idx_inj_i2 ON users (email)'] }],
    ['CWE-89 index WHERE with a stacked statement', { name: 'inj_i3', type: 'base', fields: [{ name: 'title', type: 'text' }],
      indexes: ["CREATE INDEX idx_inj_i3 ON inj_i3 (title) WHERE title = ''; DROP TABLE users; --"] }],
    ['CWE-89 view query with a stacked DROP', { name: 'inj_v1', type: 'view', viewQuery: 'SELECT id FROM users; DROP TABLE inj_canary' }],
    ['CWE-89 view query that deletes (DELETE … RETURNING)', { name: 'inj_v2', type: 'view', viewQuery: 'DELETE FROM inj_canary RETURNING id' }],
    ['CWE-89 view query that updates (UPDATE … RETURNING)', { name: 'inj_v3', type: 'view', viewQuery: "UPDATE inj_canary SET title = 'x' RETURNING id" }],
    ['CWE-89 view query with a data-modifying CTE', { name: 'inj_v4', type: 'view', viewQuery: 'WITH d AS (DELETE FROM inj_canary RETURNING id) SELECT id FROM d' }],
    ['CWE-89 view query attaching a database (SQLite)', { name: 'inj_v5', type: 'view', viewQuery: "ATTACH DATABASE '/tmp/x.db' AS x" }],
    ['CWE-89 view query with a PRAGMA', { name: 'inj_v6', type: 'view', viewQuery: 'PRAGMA writable_schema = 1' }],
  ];

  it.each(badDefinitions)('%s is refused and runs nothing', async (_source, definition) => {
    const res = await asAdmin('POST', '/api/collections', definition);
    expect(res.status, res.text).toBe(400);
    expect(await canary()).toBe(canaryBefore);
  });

  /** [source, query string of a list request on inj_canary (as a user)] */
  const badQueries: Array<[string, string]> = [
    ['CWE-89 classic quote break-out in a filter value', `filter=${encodeURIComponent("title = 'x' || '1'='1'")}`],
    ['CWE-89 quote break-out with a SQL comment', `filter=${encodeURIComponent("title = 'x'' OR 1=1 --'")}`],
    ['CWE-89 MySQL backslash escape break-out', `filter=${encodeURIComponent("title = 'x\\\\' || 1=1 || title = '")}`],
    ['CWE-89 double-quoted string with a backslash', `filter=${encodeURIComponent('title = "a\\" OR 1=1 -- "')}`],
    ['CWE-89 identifier break-out in a filter field', `filter=${encodeURIComponent('title"; DROP TABLE users; -- = 1')}`],
    ['CWE-89 subquery as a filter operand', `filter=${encodeURIComponent('(SELECT 1) = 1')}`],
    ['CWE-89 JSON path key with a quote', `filter=${encodeURIComponent("meta.a'b = 1")}`],
    ['CWE-89 JSON path key with a JSON-path metacharacter', `filter=${encodeURIComponent('meta.a$.b = 1')}`],
    ['CWE-89 JSON path with a huge array index', `filter=${encodeURIComponent('meta.99999999999999999999 = 1')}`],
    ['CWE-89 a function name that is not ours', `filter=${encodeURIComponent('sqlite_version() != ""')}`],
    ['CWE-89 stacked statement in sort', `sort=${encodeURIComponent('title; DROP TABLE users')}`],
    ['CWE-89 expression in sort', `sort=${encodeURIComponent('(CASE WHEN 1=1 THEN title END)')}`],
    ['CWE-89 sort by a number (column position)', 'sort=1'],
    ['CWE-89 injection in expand', `expand=${encodeURIComponent('owner;DROP TABLE users')}`],
    ['CWE-89 injection in fields', `fields=${encodeURIComponent('id,title FROM users; --')}`],
    ['CWE-89 injection in page', `page=${encodeURIComponent('1; DROP TABLE users')}`],
    ['CWE-89 injection in perPage', `perPage=${encodeURIComponent('1 UNION SELECT password FROM users')}`],
    ['CWE-89 @request.query echo in a filter', `filter=${encodeURIComponent('@request.query.x = title')}&x=${encodeURIComponent("' OR 1=1 --")}`],
    ['CWE-89 @request.headers echo in a filter', `filter=${encodeURIComponent('@request.headers.x_probe = title')}`],
    ['CWE-89 LIKE pattern with an escape character', `filter=${encodeURIComponent("title ~ '\\\\%' || title ~ '_'")}`],
  ];

  it.each(badQueries)('%s leaks nothing and changes nothing', async (_source, query) => {
    const res = await call(server.url, 'GET', `/api/collections/inj_canary/records?${query}`, {
      token: userToken, headers: { 'x-probe': "' OR '1'='1" },
    });
    expect(res.status, res.text).toBeLessThan(500);
    if (res.status === 200) expect((res.json as { totalItems: number }).totalItems).toBe(0);
    expect(await canary()).toBe(canaryBefore);
  });

  it.each([
    ['CWE-89 a record id with a quote', `/api/collections/inj_canary/records/${encodeURIComponent("x' OR '1'='1")}`, userToken],
    ['CWE-89 a collection name with a quote in the path', `/api/collections/${encodeURIComponent('inj_canary" --')}/records`, userToken],
    ['CWE-89 a collection id with a semicolon in the path', `/api/collections/${encodeURIComponent('users;DROP TABLE users')}`, superuserToken],
  ])('%s answers 404', async (_source, path, token) => {
    const res = await call(server.url, 'GET', path, { token });
    expect(res.status).toBe(404);
    expect(await canary()).toBe(canaryBefore);
  });

  it('CWE-89 values with quotes and backslashes are stored and found verbatim', async () => {
    const res = await asAdmin('GET', `/api/collections/inj_canary/records?filter=${encodeURIComponent('title = "it\'s \\"quoted\\"" && owner = "\\\'"')}`);
    expect(res.status, res.text).toBe(200);
    expect((res.json as { items: Array<{ title: string }> }).items.map((i) => i.title)).toEqual(['it\'s "quoted"']);
    const created = await call(server.url, 'POST', '/api/collections/inj_canary/records', { body: { title: "'); DROP TABLE users; --", owner: '\\', meta: { "k'); --": 1 } } });
    expect(created.status, created.text).toBe(200);
    const stored = await server.app.records.findById(server.app.schema.find('inj_canary')!, (created.json as { id: string }).id);
    expect(stored).toMatchObject({ title: "'); DROP TABLE users; --", owner: '\\' });
    canaryBefore = await canary();
  });

  it(`CWE-89 a view query is read-only on ${dialect} (the control: a plain SELECT works)`, async () => {
    const ok = await asAdmin('POST', '/api/collections', { name: 'inj_view_ok', type: 'view', viewQuery: 'SELECT id, title FROM inj_canary' });
    expect(ok.status, ok.text).toBe(200);
    const view = await asAdmin('GET', '/api/collections/inj_view_ok/records');
    expect((view.json as { totalItems: number }).totalItems).toBe(3);
  });

  it.each([
    ['a record value', 'POST', '/api/collections/inj_canary/records', { title: 'a\u0000b' }, undefined],
    ['a JSON field value', 'POST', '/api/collections/inj_canary/records', { meta: { k: 'a\u0000b' } }, undefined],
    ['a sign-in identity', 'POST', '/api/collections/users/auth-with-password', { identity: 'a\u0000b', password: 'x' }, undefined],
    ['an OTP request', 'POST', '/api/collections/users/request-otp', { email: 'a\u0000b@example.com' }, undefined],
    ['a log id', 'GET', '/api/logs/%00', undefined, superuserToken],
    ['a log filter', 'GET', `/api/logs?filter=${encodeURIComponent("message = '\u0000'")}`, undefined, superuserToken],
  ])('regression (a NUL character answered 500 on PostgreSQL): %s with a NUL answers without a 5xx', async (_name, method, path, body, token) => {
    const res = await call(server.url, method, path, { body, token });
    expect(res.status, res.text).toBeLessThan(500);
    expect(await canary()).not.toBe('');
    canaryBefore = await canary();
  });
});
