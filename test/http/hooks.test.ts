/**
 * TypeScript hooks through a real server: a hooks folder with record, auth, route, cron and
 * mail hooks (docs/hooks.md), exercised with the `pocketbase` SDK and plain fetch.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeTempDir, removeDir } from '../helpers/fixture-copy.js';
import { startMailServer, type TestMailServer } from '../helpers/mail-server.js';
import { sdkClient, sdkFailure } from '../helpers/sdk-clients.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { superuserToken, userToken } from '../helpers/tokens.js';

const RECORDS_HOOK = `
import type { PlinthHooks } from 'plinth';
import { log } from './shared/log';

export default function (plinth: PlinthHooks): void {
  plinth.onRecordCreateRequest((e) => {
    if (e.data.title === 'forbidden') {
      throw new plinth.HookError(403, 'No forbidden titles.', { title: { code: 'validation_forbidden', message: 'Not this one.' } });
    }
    if (e.data.title === 'crash') throw new Error('boom in create');
    e.data.status = 'new';
    e.afterCommit(() => void log.push('committed:' + String(e.data.title)));
  }, 'hk_posts');
  plinth.onRecordAfterCreateSuccess((e) => {
    log.push('after-create:' + String(e.record.title) + ':' + String(e.record.secret));
    throw new Error('an after hook failing changes nothing');
  }, 'hk_posts');
  plinth.onRecordUpdateRequest((e) => {
    if (e.record?.status === 'locked') throw new plinth.HookError(400, 'The post is locked.');
    if (typeof e.data.title === 'string') e.data.title = e.data.title.toUpperCase();
  }, 'hk_posts');
  plinth.onRecordAfterUpdateSuccess((e) => void log.push('after-update:' + String(e.record.title)), 'hk_posts');
  plinth.onRecordDeleteRequest((e) => {
    if (e.record?.title === 'keep') throw new plinth.HookError(400, 'This one stays.');
  }, 'hk_posts');
  plinth.onRecordAfterDeleteSuccess((e) => void log.push('after-delete:' + String(e.record.title)), 'hk_posts');
  plinth.onRecordViewRequest((e) => {
    if (e.request.query.hidden === '1') throw new plinth.HookError(404, 'Not here.');
  }, 'hk_posts');
  plinth.onRecordAfterViewSuccess((e) => {
    e.record.viewer = e.request.auth?.record.id ?? 'guest';
  }, 'hk_posts');
  plinth.onRecordsListRequest((e) => {
    e.params.sort = 'title';
  }, 'hk_posts');
  plinth.onRecordsAfterListSuccess((e) => {
    e.result.items = e.result.items.map((item) => ({ ...item, listed: true }));
  }, 'hk_posts');
}
`;

const AUTH_HOOK = `
import type { PlinthHooks } from 'plinth';
import { log } from './shared/log';

export default function (plinth: PlinthHooks): void {
  plinth.onRecordAuthWithPasswordRequest((e) => {
    if (e.identity === 'blocked@example.com') throw new plinth.HookError(403, 'Blocked.');
  }, 'clients');
  plinth.onRecordAuthRequest((e) => {
    log.push('auth-request:' + e.collection.name + ':' + e.authMethod);
    if (e.request.headers.x_deny === '1') throw new plinth.HookError(401, 'Not today.');
  }, 'clients', 'users');
  plinth.onRecordAfterAuthSuccess((e) => void log.push('signed-in:' + e.record.id + ':' + e.authMethod + ':' + (e.token.length > 20)), 'clients');
  plinth.onMailerSend((e) => {
    if (e.message.to.some((to) => to.address === 'test2@example.com')) return e.cancel();
    e.message.subject = '[hooked] ' + e.message.subject;
  });
}
`;

const ROUTES_HOOK = `
import type { PlinthHooks } from 'plinth';
import { log } from './shared/log';

let runs = 0;

export default function (plinth: PlinthHooks): void {
  plinth.routerAdd('GET', '/api/hello/:name', (e) => ({ message: 'Hello ' + e.params.name, caller: e.auth?.record.id ?? null, q: e.query.q ?? null }));
  plinth.routerAdd('GET', '/api/hook/mine', (e) => {
    e.requireAuth('users');
    return e.app.records.list('hk_posts', e.info, { sort: 'title' });
  });
  plinth.routerAdd('GET', '/api/hook/admin', (e) => ({ superuser: e.requireSuperuser().record.id }));
  plinth.routerAdd('POST', '/api/hook/echo', (e) => plinth.json(201, { body: e.body, raw: e.rawBody }, { 'x-hook': 'yes' }));
  plinth.routerAdd('GET', '/api/hook/text', () => plinth.text(200, 'plain words'));
  plinth.routerAdd('DELETE', '/api/hook/nothing', () => undefined);
  plinth.routerAdd('GET', '/api/hook/crash', () => {
    throw new Error('secret internals');
  });
  plinth.routerAdd('GET', '/api/hook/gone', () => {
    throw new plinth.HookError(404, 'Nothing here.', { what: { code: 'hook_gone', message: 'Gone.' } });
  });
  plinth.routerAdd('GET', '/api/hook/log', () => log);
  plinth.routerAdd('GET', '/api/health', () => ({ shadowed: true }));
  plinth.cronAdd('hook_counter', '0 0 1 1 *', () => void log.push('cron:' + ++runs));
  plinth.cronAdd('__pbLogsCleanup__', '* * * * *', () => void log.push('never'));
  plinth.cronAdd('hook_broken', '0 0 1 1 *', () => {
    throw new Error('cron boom');
  });
}
`;

let server: TestServer;
let hooksDir: string;
let smtp: TestMailServer;
// the hooks' failures are logged on purpose here: kept for the assertions, not printed
const errorSpy = vi.spyOn(console, 'error').mockImplementation(() => undefined);

async function call(method: string, path: string, body?: unknown, token?: string) {
  const res = await fetch(server.url + path, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: token } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, headers: res.headers, json: (text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null) as Record<string, unknown> };
}

const hookLog = async () => (await call('GET', '/api/hook/log')).json as unknown as string[];

beforeAll(async () => {
  hooksDir = makeTempDir('plinth-hooks-');
  mkdirSync(join(hooksDir, 'shared'));
  // every hook file is bundled with its own copy of its relative imports: share through globalThis
  writeFileSync(join(hooksDir, 'shared', 'log.ts'), 'export const log: string[] = ((globalThis as { hookLog?: string[] }).hookLog ??= []);\n');
  writeFileSync(join(hooksDir, 'records.ts'), RECORDS_HOOK);
  writeFileSync(join(hooksDir, 'auth.ts'), AUTH_HOOK);
  writeFileSync(join(hooksDir, 'routes.ts'), ROUTES_HOOK);
  smtp = await startMailServer();
  server = await startTestServer({ fixture: true, hooksDir });
  const settings = await call('PATCH', '/api/settings', { smtp: { enabled: true, host: '127.0.0.1', port: smtp.port } }, superuserToken);
  expect(settings.status, settings.text).toBe(200);
  const created = await call('POST', '/api/collections', {
    name: 'hk_posts', type: 'base', listRule: '', viewRule: '', createRule: '', updateRule: '', deleteRule: '',
    fields: [{ type: 'text', name: 'title' }, { type: 'text', name: 'status' }, { type: 'text', name: 'secret', hidden: true }],
  }, superuserToken);
  expect(created.status, created.text).toBe(200);
});

afterAll(async () => {
  await server?.close();
  await smtp?.close();
  if (hooksDir) removeDir(hooksDir);
  errorSpy.mockRestore();
});

describe('hooks: records', () => {
  it('a before hook sets a field, queues an after-commit callback; after hooks see the stored record', async () => {
    const pb = sdkClient(server.url);
    const post = await pb.collection('hk_posts').create({ title: 'first', secret: 's1' });
    expect(post.status).toBe('new');
    expect(post.secret).toBeUndefined();
    const log = await hookLog();
    expect(log).toContain('committed:first');
    expect(log).toContain('after-create:first:s1');
    expect(errorSpy.mock.calls.some((args) => String(args[0]).includes('records.ts') && String(args[0]).includes('recordAfterCreate'))).toBe(true);
  });

  it.each([
    { title: 'forbidden', status: 403, message: 'No forbidden titles.', data: { title: { code: 'validation_forbidden', message: 'Not this one.' } } },
    { title: 'crash', status: 500, message: 'Something went wrong while processing your request.', data: {} },
  ])('a create hook that throws for "$title" answers $status and writes nothing', async ({ title, status, message, data }) => {
    errorSpy.mockClear();
    const res = await call('POST', '/api/collections/hk_posts/records', { title });
    expect(res.json).toEqual({ status, message, data });
    const list = await sdkClient(server.url, superuserToken).collection('hk_posts').getFullList({ filter: `title = "${title}"` });
    expect(list).toHaveLength(0);
    const logged = errorSpy.mock.calls.some((args) => String(args[0]).includes('hook records.ts failed') && String(args[1]).includes('boom in create'));
    expect(logged).toBe(status === 500);
    expect((await call('GET', '/api/health')).status).toBe(200);
  });

  it('update and delete hooks change or refuse the write', async () => {
    const pb = sdkClient(server.url, superuserToken);
    const post = await pb.collection('hk_posts').create({ title: 'second' });
    expect((await pb.collection('hk_posts').update(post.id, { title: 'shout' })).title).toBe('SHOUT');
    const locked = await pb.collection('hk_posts').create({ title: 'keep' });
    await pb.collection('hk_posts').update(locked.id, { status: 'locked' });
    const refused = await sdkFailure(pb.collection('hk_posts').update(locked.id, { title: 'x' }));
    expect([refused.status, refused.response.message]).toEqual([400, 'The post is locked.']);
    const kept = await sdkFailure(pb.collection('hk_posts').delete(locked.id));
    expect([kept.status, kept.response.message]).toEqual([400, 'This one stays.']);
    await pb.collection('hk_posts').delete(post.id);
    expect(await hookLog()).toEqual(expect.arrayContaining(['after-update:SHOUT', 'after-delete:SHOUT']));
  });

  it('view and list hooks reject, change the query and change the answer', async () => {
    const pb = sdkClient(server.url, userToken);
    const post = await pb.collection('hk_posts').create({ title: 'viewed' });
    expect((await pb.collection('hk_posts').getOne(post.id)).viewer).toBe('4q1xlclmfloku33');
    expect((await sdkFailure(pb.collection('hk_posts').getOne(post.id, { query: { hidden: '1' } }))).status).toBe(404);
    const page = await pb.collection('hk_posts').getList(1, 50, { sort: '-title' });
    const titles = page.items.map((item) => item.title as string);
    expect(titles).toEqual([...titles].sort());
    expect(page.items.every((item) => item.listed === true)).toBe(true);
  });

  it('hooks run for the writes of a batch, after hooks once it committed', async () => {
    const pb = sdkClient(server.url, superuserToken);
    const batch = pb.createBatch();
    batch.collection('hk_posts').create({ title: 'in-batch' });
    const [result] = await batch.send();
    expect((result?.body as Record<string, unknown>).status).toBe('new');
    expect(await hookLog()).toContain('after-create:in-batch:');
  });
});

describe('hooks: auth', () => {
  it('password sign-in: a before hook refuses an identity, an auth hook refuses a record, the after hook sees the token', async () => {
    const pb = sdkClient(server.url);
    expect((await sdkFailure(pb.collection('clients').authWithPassword('blocked@example.com', 'whatever1'))).status).toBe(403);
    const refused = await sdkFailure(pb.collection('clients').authWithPassword('test@example.com', '1234567890', { headers: { 'x-deny': '1' } }));
    expect([refused.status, refused.response.message]).toEqual([401, 'Not today.']);
    const ok = await pb.collection('clients').authWithPassword('test@example.com', '1234567890');
    expect(await hookLog()).toContain(`signed-in:${ok.record.id}:password:true`);
  });

  it('OTP sign-in runs the auth hooks too (before the MFA step)', async () => {
    const pb = sdkClient(server.url);
    const before = smtp.mails.length;
    const { otpId } = await pb.collection('users').requestOTP('test@example.com');
    const mail = await smtp.waitFor((m) => smtp.mails.indexOf(m) >= before && m.body.includes('one-time password is'));
    const password = /one-time password is: (\d+)/.exec(mail.body)?.[1] ?? '';
    const refused = await sdkFailure(pb.collection('users').authWithOTP(otpId, password, { headers: { 'x-deny': '1' } }));
    expect([refused.status, refused.response.message]).toEqual([401, 'Not today.']);
    expect(await hookLog()).toContain('auth-request:users:otp');
  });

  it('mail hooks change a mail or cancel it', async () => {
    const pb = sdkClient(server.url);
    await pb.collection('users').requestPasswordReset('test@example.com');
    await pb.collection('users').requestPasswordReset('test2@example.com');
    await server.app.auth.background.idle();
    const mail = await smtp.waitFor((m) => m.to.includes('test@example.com'));
    expect(mail.subject).toMatch(/^\[hooked\] /);
    expect(smtp.mails.some((m) => m.to.includes('test2@example.com'))).toBe(false);
  });
});

describe('hooks: routes and crons', () => {
  it.each([
    { method: 'GET', path: '/api/hello/ada?q=1', token: undefined, status: 200, json: { message: 'Hello ada', caller: null, q: '1' } },
    { method: 'GET', path: '/api/hello/ada', token: userToken, status: 200, json: { message: 'Hello ada', caller: '4q1xlclmfloku33', q: null } },
    { method: 'GET', path: '/api/hook/mine', token: undefined, status: 401, json: { status: 401, message: 'The request requires valid record authorization token.', data: {} } },
    { method: 'GET', path: '/api/hook/mine', token: superuserToken, status: 403, json: { status: 403, message: 'You are not allowed to perform this request.', data: {} } },
    { method: 'GET', path: '/api/hook/admin', token: userToken, status: 403, json: { status: 403, message: 'Only superusers can perform this action.', data: {} } },
    { method: 'GET', path: '/api/hook/admin', token: superuserToken, status: 200, json: { superuser: 'sywbhecnh46rhm0' } },
    { method: 'GET', path: '/api/hook/crash', token: undefined, status: 500, json: { status: 500, message: 'Something went wrong while processing your request.', data: {} } },
    { method: 'GET', path: '/api/hook/gone', token: undefined, status: 404, json: { status: 404, message: 'Nothing here.', data: { what: { code: 'hook_gone', message: 'Gone.' } } } },
    { method: 'POST', path: '/api/hello/ada', token: undefined, status: 404, json: { status: 404, message: "The requested resource wasn't found.", data: {} } },
    { method: 'GET', path: '/api/health', token: undefined, status: 200, json: { code: 200, message: 'API is healthy.', data: {} } },
  ])('$method $path ($status)', async ({ method, path, token, status, json }) => {
    const res = await call(method, path, undefined, token);
    expect(res.status, res.text).toBe(status);
    expect(res.json).toEqual(json);
  });

  it('a route calls the records service with the caller, so the rules apply; bodies and answers', async () => {
    const mine = await call('GET', '/api/hook/mine', undefined, userToken);
    expect(mine.status, mine.text).toBe(200);
    expect((mine.json.items as unknown[]).length).toBeGreaterThan(0);
    expect((mine.json.items as Array<Record<string, unknown>>).every((item) => item.secret === undefined)).toBe(true);
    const echo = await call('POST', '/api/hook/echo', '{"a": 1}');
    expect([echo.status, echo.headers.get('x-hook'), echo.json]).toEqual([201, 'yes', { body: { a: 1 }, raw: '{"a": 1}' }]);
    const text = await call('GET', '/api/hook/text');
    expect([text.status, text.headers.get('content-type'), text.text]).toEqual([200, 'text/plain; charset=utf-8', 'plain words']);
    expect((await call('DELETE', '/api/hook/nothing')).status).toBe(204);
    expect(errorSpy.mock.calls.some((args) => String(args[0]).includes('hook routes.ts failed in route GET /api/hook/crash'))).toBe(true);
  });

  it('cron jobs are listed in /api/crons and run now from there', async () => {
    const crons = await sdkClient(server.url, superuserToken).crons.getFullList();
    expect(crons.map((c) => c.id)).toEqual(expect.arrayContaining(['hook_counter', 'hook_broken']));
    // a hook cannot take over a built-in job
    expect(crons.find((c) => c.id === '__pbLogsCleanup__')?.expression).toBe('0 */6 * * *');
    const run = await call('POST', '/api/crons/hook_counter', undefined, superuserToken);
    expect(run.status).toBe(204);
    await server.app.ops.crons.idle();
    expect(await hookLog()).toContain('cron:1');
    expect((await call('POST', '/api/crons/hook_broken', undefined, superuserToken)).status).toBe(204);
    await server.app.ops.crons.idle();
    expect((await call('GET', '/api/health')).status).toBe(200);
  });
});
