/**
 * Correctness under parallel requests, on every dialect: unique indexes hold (one sign-up per
 * email), and `views+` increments are never lost (the update re-applies modifiers to the row it
 * locked, see docs/choosing-a-database.md).
 */
import PocketBase from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeTestDatabaseAdmins, projectDialect } from '../helpers/test-databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { superuserToken } from '../helpers/tokens.js';

// one dialect per vitest project (see test/helpers/dialect-projects.ts)
const DIALECTS = [projectDialect()];
const PARALLEL = 12;

afterAll(() => closeTestDatabaseAdmins());

describe.each(DIALECTS)('parallel requests (%s)', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ fixture: true, dialect });
  });
  afterAll(async () => {
    await server?.close();
  });

  const post = (path: string, body: unknown, method = 'POST') =>
    fetch(`${server.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: superuserToken },
      body: JSON.stringify(body),
    });

  it(`${PARALLEL} parallel sign-ups with one email: exactly one succeeds, the rest get validation_not_unique`, async () => {
    const email = `race-${dialect}@example.com`;
    const responses = await Promise.all(Array.from({ length: PARALLEL }, () =>
      fetch(`${server.url}/api/collections/users/records`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: '1234567890', passwordConfirm: '1234567890' }),
      })));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 400)).toHaveLength(PARALLEL - 1);
    for (const r of responses.filter((x) => x.status === 400)) {
      const body = (await r.json()) as { data: Record<string, { code: string }> };
      expect(body.data.email?.code).toBe('validation_not_unique');
    }
    const pb = new PocketBase(server.url);
    pb.authStore.save(superuserToken, null);
    const found = await pb.collection('users').getList(1, 10, { filter: pb.filter('email = {:email}', { email }) });
    expect(found.totalItems).toBe(1);
  });

  it(`${PARALLEL * 2} parallel "views+" increments lose no update`, async () => {
    const created = await post('/api/collections', { name: 'counters', type: 'base', fields: [{ name: 'views', type: 'number' }] });
    expect(created.status).toBe(200);
    const record = (await (await post('/api/collections/counters/records', { views: 0 })).json()) as { id: string };
    const responses = await Promise.all(Array.from({ length: PARALLEL * 2 }, () =>
      post(`/api/collections/counters/records/${record.id}`, { 'views+': 1 }, 'PATCH')));
    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 200));
    const final = (await (await fetch(`${server.url}/api/collections/counters/records/${record.id}`, { headers: { authorization: superuserToken } })).json()) as { views: number };
    expect(final.views).toBe(PARALLEL * 2);
  });

  it('a duplicate in a plain UNIQUE index maps to validation_not_unique on that field', async () => {
    const first = await post('/api/collections/demo2/records', { title: `unique-${dialect}` });
    expect(first.status).toBe(200);
    const again = await Promise.all([1, 2, 3].map(() => post('/api/collections/demo2/records', { title: `unique2-${dialect}` })));
    expect(again.map((r) => r.status).sort()).toEqual([200, 400, 400]);
    const body = (await again.find((r) => r.status === 400)?.json()) as { data: Record<string, { code: string }> };
    expect(body.data.title?.code).toBe('validation_not_unique');
  });
});
