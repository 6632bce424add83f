/**
 * The outbox is durable: deliveries committed with a record survive a graceful restart and a
 * kill -9 between commit and delivery. Runs the real built bin (`node bin/plinth.js serve`) as a
 * child process, with the delivery worker held back (PLINTH_WEBHOOK_START_DELAY_MS) while records
 * are written, then restarted with the worker on: the receiver gets every record.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../helpers/fixture-copy.js';
import { repoRoot } from '../helpers/paths.js';
import { isCi } from '../helpers/requirements.js';
import { closeTestDatabaseAdmins, createEmptyDatabase, projectDialect, type TestDatabase } from '../helpers/test-databases.js';
import { startReceiver } from '../helpers/webhook-receiver.js';
import { runMain } from '../cli/run-main.js';

const root = repoRoot();
const bin = join(root, 'bin', 'plinth.js');
const built = existsSync(join(root, 'dist', 'cli', 'main.js'));
if (!built) {
  if (isCi()) throw new Error('CI=true and dist/ is missing: `npm run build` must run before the tests');
  console.log('skipped: dist/ not built, run `npm run build` first (webhook outbox across restarts)');
}

const EMAIL = 'hooks@example.com';
const PASSWORD = 'a-long-password-1';

interface Child {
  url: string;
  process: ChildProcess;
  exited: Promise<number | null>;
}

async function serve(dir: string, db: string | undefined, env: Record<string, string>): Promise<Child> {
  const args = [bin, 'serve', '--http=127.0.0.1:0', `--dir=${dir}`, ...(db ? [`--db=${db}`] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let out = '';
  child.stderr.on('data', (chunk: Buffer) => void (out += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed within 20 s: ${out}`)), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    });
    void exited.then((code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
  return { url, process: child, exited };
}

async function call(child: Child, method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(child.url + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  expect(res.status, `${method} ${path}: ${text}`).toBe(method === 'DELETE' ? 204 : 200);
  return JSON.parse(text || '{}') as Record<string, unknown>;
}

async function signIn(child: Child): Promise<string> {
  const auth = await call(child, 'POST', '/api/collections/_superusers/auth-with-password', '', { identity: EMAIL, password: PASSWORD });
  return auth.token as string;
}

const HELD = { PLINTH_WEBHOOK_START_DELAY_MS: '600000' };
const LIVE = { PLINTH_WEBHOOK_POLL_MS: '50', PLINTH_WEBHOOK_RETRY_BASE_MS: '50' };

describe.skipIf(!built)('webhook outbox across restarts', () => {
  const dirs: string[] = [];
  let database: TestDatabase | undefined;
  afterAll(async () => {
    for (const d of dirs) removeDir(d);
    await database?.drop();
    await closeTestDatabaseAdmins();
  });

  it('delivers what was committed before a graceful restart and before a kill -9', async () => {
    const dialect = projectDialect();
    if (dialect !== 'sqlite') database = await createEmptyDatabase(dialect);
    const dir = makeTempDir();
    dirs.push(dir);
    const db = database?.url;
    const made = await runMain(['superuser', 'upsert', EMAIL, PASSWORD, `--dir=${dir}`, ...(db ? [`--db=${db}`] : [])]);
    expect(made.code, made.stderr).toBe(0);
    const receiver = await startReceiver();
    const children: Child[] = [];
    try {
      // 1st run: configure, write A, stop gracefully before the worker ever ran
      const first = await serve(dir, db, HELD);
      children.push(first);
      let token = await signIn(first);
      await call(first, 'PATCH', '/api/settings', token, { webhooks: { allowedHosts: ['127.0.0.1'] } });
      await call(first, 'POST', '/api/collections', token, { name: 'orders', type: 'base', fields: [{ type: 'text', name: 'ref' }] });
      const hook = await call(first, 'POST', '/api/webhooks', token, { url: `${receiver.url}/orders`, collection: 'orders', events: ['create'] });
      await call(first, 'POST', '/api/collections/orders/records', token, { ref: 'A' });
      first.process.kill('SIGTERM');
      expect(await first.exited).toBe(0);

      // 2nd run: write B, then kill -9 right after the commit
      const second = await serve(dir, db, HELD);
      children.push(second);
      token = await signIn(second);
      await call(second, 'POST', '/api/collections/orders/records', token, { ref: 'B' });
      second.process.kill('SIGKILL');
      await second.exited;
      expect(receiver.received).toHaveLength(0);

      // 3rd run with the worker on: both arrive, signed, each once
      const third = await serve(dir, db, LIVE);
      children.push(third);
      const got = await receiver.waitFor(2, undefined, 15_000);
      const wh = new Webhook(hook.secret as string);
      const refs = got.map((r) => (wh.verify(r.body, {
        'webhook-id': String(r.headers['webhook-id']),
        'webhook-timestamp': String(r.headers['webhook-timestamp']),
        'webhook-signature': String(r.headers['webhook-signature']),
      }) as { data: { record: { ref: string } } }).data.record.ref);
      expect(refs.sort()).toEqual(['A', 'B']);
      token = await signIn(third);
      const log = await call(third, 'GET', `/api/webhooks/${hook.id}/deliveries`, token);
      expect(log.totalItems).toBe(2);
      third.process.kill('SIGTERM');
      expect(await third.exited).toBe(0);
    } finally {
      for (const c of children) if (c.process.exitCode === null && c.process.signalCode === null) c.process.kill('SIGKILL');
      await receiver.close();
    }
  }, 60_000);
});
