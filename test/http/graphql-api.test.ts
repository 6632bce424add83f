/**
 * The GraphQL API as a client uses it (graphql-request over HTTP, graphql-ws for
 * subscriptions): queries with paging and cursors, relations without N+1, typed mutations with
 * modifiers, batch, password auth, file URLs, a schema that follows collection changes, and the
 * settings (introspection, enabled) and shared rate limits.
 */
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MAX_SOCKET_OPERATIONS } from '../../src/http/graphql/graphql-routes.js';
import { graphqlClient, type GraphqlOutcome } from '../helpers/graphql-client.js';
import { subscribeOnce } from '../helpers/graphql-ws-client.js';
import { sdkClient, waitFor } from '../helpers/sdk-clients.js';
import { closeTestDatabaseAdmins, projectDialect } from '../helpers/test-databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { superuserToken, userToken } from '../helpers/tokens.js';

const USER = '4q1xlclmfloku33';

let server: TestServer;
const admin = () => sdkClient(server.url, superuserToken);
const asAdmin = () => graphqlClient(server.url, superuserToken);
const asGuest = () => graphqlClient(server.url);

/** Database calls the server made, from its own metrics (`plinth_db_query_duration_seconds`). */
async function dbCalls(): Promise<number> {
  const text = await (await fetch(`${server.url}/api/metrics`, { headers: { authorization: superuserToken } })).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('plinth_db_query_duration_seconds_count')) total += Number(line.split(' ').pop());
  }
  return total;
}

afterAll(() => closeTestDatabaseAdmins());

describe.each([projectDialect()])('GraphQL API (%s)', (dialect) => {
  beforeAll(async () => {
    server = await startTestServer({ fixture: true, dialect });
    const users = await admin().collections.getOne('users');
    const authors = await admin().collections.create({
      name: 'ga_authors', type: 'base', listRule: '', viewRule: '',
      fields: [{ name: 'name', type: 'text', required: true }],
    });
    const posts = await admin().collections.create({
      name: 'ga_posts', type: 'base', listRule: '', viewRule: '', createRule: '', updateRule: '', deleteRule: '',
      fields: [
        { name: 'title', type: 'text', required: true, max: 50 }, { name: 'views', type: 'number' },
        { name: 'tags', type: 'select', values: ['a', 'b', 'c'], maxSelect: 3 },
        { name: 'author', type: 'relation', collectionId: authors.id, maxSelect: 1 },
        { name: 'readers', type: 'relation', collectionId: users.id, maxSelect: 5 },
        { name: 'meta', type: 'json' }, { name: 'where', type: 'geoPoint' },
        { name: 'cover', type: 'file', maxSelect: 1 },
        { name: 'created', type: 'autodate', onCreate: true },
      ],
    });
    await admin().collections.create({
      name: 'ga_comments', type: 'base', listRule: '', viewRule: '',
      fields: [{ name: 'body', type: 'text' }, { name: 'post', type: 'relation', collectionId: posts.id, maxSelect: 1 }],
    });
    for (let a = 0; a < 5; a++) {
      const author = await admin().collection('ga_authors').create({ name: `author ${a}` });
      for (let p = 0; p < 5; p++) {
        const post = await admin().collection('ga_posts').create({ title: `post ${a}-${p}`, views: a * 10 + p, author: author.id, tags: ['a'] });
        await admin().collection('ga_comments').create({ body: `comment on ${a}-${p}`, post: post.id });
      }
    }
  });

  afterAll(async () => {
    await server?.close();
  });

  describe('queries', () => {
    it('pages with page/perPage and counts only when asked', async () => {
      const res = await asGuest().run<{ ga_posts: { page: number; perPage: number; totalItems: number; totalPages: number; items: Array<{ title: string }> } }>(
        '{ ga_posts(sort: "-views", page: 2, perPage: 10) { page perPage totalItems totalPages items { title } } }');
      expect(res.errors).toEqual([]);
      expect(res.data?.ga_posts).toMatchObject({ page: 2, perPage: 10, totalItems: 25, totalPages: 3 });
      expect(res.data?.ga_posts.items.map((i) => i.title).slice(0, 2)).toEqual(['post 2-4', 'post 2-3']);
    });

    it('walks every record with cursors, exactly once each', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      let hasNextPage = true;
      for (let i = 0; hasNextPage && i < 10; i++) {
        type Page = { endCursor: string | null; hasNextPage: boolean; items: Array<{ id: string }> };
        const res: GraphqlOutcome<{ ga_posts: Page }> = await asGuest().run<{ ga_posts: Page }>(
          'query($after: String) { ga_posts(sort: "views", perPage: 7, after: $after) { endCursor hasNextPage items { id } } }', { after });
        const page: Page | undefined = res.data?.ga_posts;
        if (!page) throw new Error(JSON.stringify(res.errors));
        seen.push(...page.items.map((r) => r.id));
        after = page.endCursor;
        hasNextPage = page.hasNextPage;
      }
      expect(seen).toHaveLength(25);
      expect(new Set(seen).size).toBe(25);
    });

    it('refuses a forged cursor with a 400, not a 500', async () => {
      const res = await asGuest().run('{ ga_posts(after: "bm9wZQ") { items { id } } }');
      expect(res.errors[0]).toMatchObject({ message: 'Invalid cursor.', extensions: { status: 400 } });
    });

    it('loads relations and back-relations one query per level (no N+1)', async () => {
      const query = (perPage: number) => `{ ga_posts(perPage: ${perPage}, sort: "views") { items { title expand { author { name } ga_comments_via_post { body } } } } }`;
      // the request log's writes would land in the window (on PostgreSQL and MySQL): logs off
      await admin().settings.update({ logs: { maxDays: 0 } });
      await asGuest().run(query(1)); // warm the schema and the statement caches
      const before2 = await dbCalls();
      await asGuest().run(query(2));
      const for2 = (await dbCalls()) - before2;
      const before25 = await dbCalls();
      const res = await asGuest().run<{ ga_posts: { items: Array<{ title: string; expand: { author: { name: string }; ga_comments_via_post: Array<{ body: string }> } }> } }>(query(25));
      const for25 = (await dbCalls()) - before25;
      expect(res.data?.ga_posts.items).toHaveLength(25);
      expect(res.data?.ga_posts.items[7]).toEqual({ title: 'post 1-2', expand: { author: { name: 'author 1' }, ga_comments_via_post: [{ body: 'comment on 1-2' }] } });
      expect(for25).toBe(for2);
      await admin().settings.update({ logs: { maxDays: 5 } });
    });

    it('answers null for a missing record, like a 404', async () => {
      const res = await asGuest().run('{ ga_postsById(id: "nope") { id } }');
      expect(res).toMatchObject({ status: 200, data: { ga_postsById: null }, errors: [] });
    });

    it('serves queries over GET, never mutations', async () => {
      const ok = await fetch(`${server.url}/api/graphql?query=${encodeURIComponent('{ ga_authors(perPage: 1) { perPage } }')}`);
      expect(await ok.json()).toEqual({ data: { ga_authors: { perPage: 1 } } });
      const mutation = await fetch(`${server.url}/api/graphql?query=${encodeURIComponent('mutation { deleteGaPosts(id: "x") }')}`);
      expect(mutation.status).toBe(400);
    });
  });

  describe('mutations', () => {
    it('creates with typed input and returns the saved record with relations', async () => {
      const author = (await admin().collection('ga_authors').getFirstListItem('name = "author 0"')).id;
      const res = await asGuest().run<{ createGaPosts: Record<string, unknown> }>(
        'mutation($d: GaPostsCreateInput!) { createGaPosts(data: $d) { id title views tags meta where { lon lat } cover { name } expand { author { name } } } }',
        { d: { title: 'typed', views: 3, tags: ['a', 'b'], author, meta: { deep: [1, 2] }, where: { lon: 10.5, lat: -3 } } });
      expect(res.errors).toEqual([]);
      expect(res.data?.createGaPosts).toMatchObject({
        title: 'typed', views: 3, tags: ['a', 'b'], meta: { deep: [1, 2] }, where: { lon: 10.5, lat: -3 }, cover: null,
        expand: { author: { name: 'author 0' } },
      });
      const stored = await admin().collection('ga_posts').getOne(String(res.data?.createGaPosts['id']));
      expect(stored['where']).toEqual({ lon: 10.5, lat: -3 });
    });

    it('reports field errors with REST’s codes under extensions.data', async () => {
      const res = await asGuest().run('mutation { createGaPosts(data: { title: "", tags: ["zzz"] }) { id } }');
      expect(res.errors[0]).toMatchObject({
        message: 'Failed to validate the submitted data.',
        extensions: { status: 400, data: { title: { code: 'validation_required' }, tags: { code: 'validation_invalid_value' } } },
      });
    });

    it('applies update modifiers as REST does (+, -, append, prepend, remove)', async () => {
      const post = await admin().collection('ga_posts').create({ title: 'mods', views: 10, tags: ['b'] });
      const res = await asGuest().run<{ updateGaPosts: { views: number; tags: string[] } }>(
        'mutation($id: ID!) { updateGaPosts(id: $id, data: { views_add: 5, tags_append: ["c"], tags_prepend: ["a"] }) { views tags } }', { id: post.id });
      expect(res.data?.updateGaPosts).toEqual({ views: 15, tags: ['a', 'b', 'c'] });
      const again = await asGuest().run<{ updateGaPosts: { views: number; tags: string[] } }>(
        'mutation($id: ID!) { updateGaPosts(id: $id, data: { views_subtract: 20, tags_remove: ["b"] }) { views tags } }', { id: post.id });
      expect(again.data?.updateGaPosts).toEqual({ views: -5, tags: ['a', 'c'] });
    });

    it('deletes, and a second delete is a 404', async () => {
      const post = await admin().collection('ga_posts').create({ title: 'doomed' });
      const mutation = 'mutation($id: ID!) { deleteGaPosts(id: $id) }';
      expect((await asGuest().run(mutation, { id: post.id })).data).toEqual({ deleteGaPosts: true });
      expect((await asGuest().run(mutation, { id: post.id })).errors[0]?.extensions?.status).toBe(404);
    });

    it('gives file fields URLs that serve the file', async () => {
      const form = new FormData();
      form.append('title', 'with file');
      form.append('cover', new Blob(['hello file'], { type: 'text/plain' }), 'note.txt');
      const post = await admin().collection('ga_posts').create(form);
      const res = await asGuest().run<{ ga_postsById: { cover: { name: string; url: string } } }>(
        'query($id: ID!) { ga_postsById(id: $id) { cover { name url } } }', { id: post.id });
      const cover = res.data?.ga_postsById.cover;
      expect(cover?.name).toBe(post['cover']);
      expect(cover?.url).toBe(`${server.url}/api/files/${post.collectionId}/${post.id}/${post['cover']}`);
      expect(await (await fetch(cover?.url ?? '')).text()).toBe('hello file');
    });

    it('runs a batch in one transaction, rolling back on the first failure', async () => {
      const batch = 'mutation($r: [BatchRequest!]!) { batch(requests: $r) { status record } }';
      await admin().settings.update({ batch: { enabled: false } });
      const disabled = await asGuest().run(batch, { r: [{ action: 'create', collection: 'ga_posts', data: { title: 'b0' } }] });
      expect(disabled.errors[0]).toMatchObject({ message: 'Batch requests are not allowed.', extensions: { status: 403 } });
      await admin().settings.update({ batch: { enabled: true, maxRequests: 10 } });
      try {
        const keep = await admin().collection('ga_posts').create({ title: 'batch-target' });
        const failed = await asGuest().run(batch, { r: [
          { action: 'create', collection: 'ga_posts', data: { title: 'batch-1' } },
          { action: 'update', collection: 'ga_posts', id: keep.id, data: { title: 'batch-renamed' } },
          { action: 'create', collection: 'ga_posts', data: { title: '' } },
        ] });
        expect(failed.errors[0]).toMatchObject({
          message: 'Batch transaction failed.',
          extensions: { status: 400, data: { requests: { 2: { code: 'batch_request_failed', response: { status: 400 } } } } },
        });
        expect(await admin().collection('ga_posts').getList(1, 1, { filter: 'title = "batch-1"' })).toMatchObject({ totalItems: 0 });
        expect((await admin().collection('ga_posts').getOne(keep.id))['title']).toBe('batch-target');

        const done = await asGuest().run<{ batch: Array<{ status: number; record: { title?: string } | null }> }>(batch, { r: [
          { action: 'create', collection: 'ga_posts', data: { title: 'batch-2' } },
          { action: 'upsert', collection: 'ga_posts', id: keep.id, data: { title: 'batch-upserted' } },
          { action: 'delete', collection: 'ga_posts', id: keep.id },
        ] });
        expect(done.data?.batch.map((r) => [r.status, r.record?.title ?? null])).toEqual([[200, 'batch-2'], [200, 'batch-upserted'], [204, null]]);
      } finally {
        await admin().settings.update({ batch: { enabled: false } });
      }
    });
  });

  describe('auth', () => {
    it('signs in with a password and returns the token REST gives, which REST accepts', async () => {
      await admin().collections.create({ name: 'ga_members', type: 'auth', listRule: 'id = @request.auth.id', viewRule: 'id = @request.auth.id', fields: [] });
      const member = await admin().collection('ga_members').create({ email: 'member@example.com', password: 'gql-password-1', passwordConfirm: 'gql-password-1' });
      const res = await asGuest().run<{ ga_membersAuthWithPassword: { token: string; record: { id: string; email: string } } }>(
        'mutation { ga_membersAuthWithPassword(identity: "member@example.com", password: "gql-password-1") { token record { id email } } }');
      expect(res.errors).toEqual([]);
      const { token, record } = res.data?.ga_membersAuthWithPassword ?? { token: '', record: { id: '', email: '' } };
      expect(record).toEqual({ id: member.id, email: 'member@example.com' });
      const me = await sdkClient(server.url, token).collection('ga_members').authRefresh();
      expect(me.record.id).toBe(member.id);

      const refreshed = await graphqlClient(server.url, token).run<{ ga_membersAuthRefresh: { token: string; record: { email: string } } }>(
        'mutation { ga_membersAuthRefresh { token record { email } } }');
      expect(refreshed.data?.ga_membersAuthRefresh.record.email).toBe('member@example.com');
      const wrong = await asGuest().run('mutation { ga_membersAuthWithPassword(identity: "member@example.com", password: "wrong") { token } }');
      expect(wrong.errors[0]).toMatchObject({ message: 'Failed to authenticate.', extensions: { status: 400 } });
      const guestRefresh = await asGuest().run('mutation { ga_membersAuthRefresh { token } }');
      expect(guestRefresh.errors[0]?.extensions?.status).toBe(401);
    });

    it('asks for the second factor where the collection requires MFA, as REST’s 401 {mfaId}', async () => {
      await admin().collection('users').update(USER, { password: 'gql-password-1', passwordConfirm: 'gql-password-1' });
      const res = await asGuest().run('mutation { usersAuthWithPassword(identity: "test@example.com", password: "gql-password-1") { token } }');
      expect(res.errors[0]).toMatchObject({ message: 'Multi-factor authentication required.', extensions: { status: 401, code: 'MFA_REQUIRED' } });
      expect(res.errors[0]?.extensions).toHaveProperty('mfaId', expect.stringMatching(/^[a-z0-9]{15}$/));
    });

    it('shares REST’s rate-limit counters (no bypass by switching transport)', async () => {
      await admin().settings.update({ rateLimits: { enabled: true, rules: [{ label: '*:authWithPassword', duration: 60, maxRequests: 2 }] } });
      try {
        const signIn = 'mutation { usersAuthWithPassword(identity: "test@example.com", password: "wrong") { token } }';
        await sdkClient(server.url).collection('users').authWithPassword('test@example.com', 'wrong').catch(() => undefined);
        expect((await asGuest().run(signIn)).errors[0]?.extensions?.status).toBe(400);
        expect((await asGuest().run(signIn)).errors[0]).toMatchObject({ message: 'Too Many Requests.', extensions: { status: 429 } });
        const rest = await fetch(`${server.url}/api/collections/users/auth-with-password`, {
          method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identity: 'test@example.com', password: 'wrong' }),
        });
        expect(rest.status).toBe(429);
      } finally {
        await admin().settings.update({ rateLimits: { enabled: false, rules: [{ label: '/api/', duration: 10, maxRequests: 300 }] } });
      }
    });
  });

  describe('schema', () => {
    it('follows collection changes at once: new, renamed and deleted collections', async () => {
      const created = await admin().collections.create({ name: 'ga_fresh', type: 'base', listRule: '', fields: [{ name: 'label', type: 'text' }] });
      await admin().collection('ga_fresh').create({ label: 'hi' });
      expect((await asGuest().run('{ ga_fresh { items { label } } }')).data).toEqual({ ga_fresh: { items: [{ label: 'hi' }] } });
      await admin().collections.update(created.id, { name: 'ga_renamed' });
      expect((await asGuest().run('{ ga_fresh { items { label } } }')).status).toBe(400);
      expect((await asGuest().run('{ ga_renamed { items { label } } }')).data).toEqual({ ga_renamed: { items: [{ label: 'hi' }] } });
      await admin().collections.delete(created.id);
      expect((await asGuest().run('{ ga_renamed { items { label } } }')).errors[0]?.message).toContain('Cannot query field');
    });

    it('turns introspection off for everyone but superusers', async () => {
      const introspect = '{ __schema { queryType { name } } }';
      expect((await asGuest().run(introspect)).data).toEqual({ __schema: { queryType: { name: 'Query' } } });
      await admin().settings.update({ graphql: { introspection: false } });
      try {
        const guest = await asGuest().run(introspect);
        expect(guest.status).toBe(400);
        expect(guest.errors[0]?.message).toContain('introspection');
        expect((await graphqlClient(server.url, userToken).run('{ __type(name: "Query") { name } }')).status).toBe(400);
        expect((await asAdmin().run(introspect)).data).toEqual({ __schema: { queryType: { name: 'Query' } } });
        expect((await asGuest().run('{ ga_authors(perPage: 1) { perPage } }')).data).toEqual({ ga_authors: { perPage: 1 } });
      } finally {
        await admin().settings.update({ graphql: { introspection: true } });
      }
    });

    it('can be switched off (404) and validates its settings', async () => {
      await admin().settings.update({ graphql: { enabled: false } });
      try {
        const res = await fetch(`${server.url}/api/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
        expect(res.status).toBe(404);
      } finally {
        await admin().settings.update({ graphql: { enabled: true } });
      }
      const bad = await fetch(`${server.url}/api/settings`, {
        method: 'PATCH', headers: { 'content-type': 'application/json', authorization: superuserToken }, body: JSON.stringify({ graphql: { maxDepth: 0 } }),
      });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ data: { graphql: { maxDepth: { code: 'validation_min_greater_equal_than_required' } } } });
    });

    it('serves the explorer to browsers, with its own CSP and cached assets', async () => {
      const page = await fetch(`${server.url}/api/graphql`, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
      const html = await page.text();
      expect(html).toContain('/api/graphql/explorer/ruru.js');
      const asset = await fetch(`${server.url}/api/graphql/explorer/ruru.js`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toContain('javascript');
      expect(asset.headers.get('cache-control')).toContain('max-age');
      expect((await asset.text()).length).toBeGreaterThan(1000);
      expect((await fetch(`${server.url}/api/graphql/explorer/..%2F..%2Fpackage.json`)).status).toBe(404);
    });
  });

  describe('subscriptions', () => {
    it('delivers creates, updates and deletes of one record, with expanded relations', async () => {
      const post = await admin().collection('ga_posts').create({ title: 'watched' });
      const author = await admin().collection('ga_authors').create({ name: 'live author' });
      const before = server.app.realtime.clientCount;
      const sub = subscribeOnce(server.url, 'subscription($id: ID!) { ga_postsEvents(id: $id) { action record { title expand { author { name } } } } }', undefined, { id: post.id });
      await sub.ready;
      await waitFor(() => server.app.realtime.clientCount > before, 'subscription registered');
      await admin().collection('ga_posts').update(post.id, { title: 'watched 2', author: author.id });
      await admin().collection('ga_posts').delete(post.id);
      expect(await sub.next()).toEqual({ ga_postsEvents: { action: 'update', record: { title: 'watched 2', expand: { author: { name: 'live author' } } } } });
      expect(await sub.next()).toMatchObject({ ga_postsEvents: { action: 'delete', record: { title: 'watched 2' } } });
      await sub.close();
      await waitFor(() => server.app.realtime.clientCount === before, 'subscription released');
    });

    it('caps the operations of one connection, and frees their broker clients when it closes', async () => {
      const before = server.app.realtime.clientCount;
      const client = createClient({ url: `${server.url.replace('http', 'ws')}/api/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 });
      const errors: unknown[] = [];
      for (let i = 0; i <= MAX_SOCKET_OPERATIONS; i++) {
        client.subscribe({ query: 'subscription { ga_postsEvents { action } }' }, { next: () => undefined, error: (e) => errors.push(e), complete: () => undefined });
      }
      await waitFor(() => errors.length === 1 && server.app.realtime.clientCount === before + MAX_SOCKET_OPERATIONS, 'the cap');
      expect(JSON.stringify(errors[0])).toContain(`At most ${MAX_SOCKET_OPERATIONS} operations`);
      await client.dispose();
      await waitFor(() => server.app.realtime.clientCount === before, 'broker clients released');
    });

    it('refuses subscriptions over HTTP', async () => {
      const res = await asGuest().run('subscription { ga_postsEvents { action } }');
      expect(res.status).toBe(400);
      expect(res.errors[0]?.message).toBe('subscription operations are not allowed here.');
    });
  });
});
