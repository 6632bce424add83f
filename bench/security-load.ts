/**
 * Load run of issue 19: a built Plinth (`bin/plinth.js serve`, a child process on 127.0.0.1 over a
 * copy of the PocketBase fixture, SQLite) under N concurrent connections mixing reads (lists with
 * filter/sort/expand, views), writes (create/update/delete), auth (password sign-in, refresh) and
 * realtime (SSE clients subscribed to the written collection) for M minutes. Reports every 5xx
 * (the target is 0) and the server's RSS over time (the target is flat).
 *
 *   npm run build
 *   npx tsx bench/security-load.ts                          # 200 connections, 10 minutes
 *   npx tsx bench/security-load.ts --minutes=3 --connections=200 --sse=20
 *
 * Options: --minutes (10), --connections (200, SSE clients included), --sse (20), --sample (10 s
 * between memory samples), --keep-auth-guard (leave the default auth rate limit on: sign-ins then
 * mostly answer 429), --cpu-prof=DIR (profile the server). Loopback only; exits 1 when any request answered 5xx or failed.
 */
import { removeDir, copyFixture } from '../test/helpers/fixture-copy.js';
import { superuserToken, userToken } from '../test/helpers/tokens.js';
import { freePort, plinthArgs, rssMb, sleep, startChild } from './lib.js';

function arg(name: string, fallback: number): number {
  const raw = process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  return raw === undefined ? fallback : Number(raw);
}
const MINUTES = arg('minutes', 10);
const CONNECTIONS = arg('connections', 200);
const SSE = Math.min(arg('sse', 20), CONNECTIONS);
const SAMPLE_S = arg('sample', 10);
const KEEP_AUTH_GUARD = process.argv.includes('--keep-auth-guard');
/** `--cpu-prof=DIR`: the server writes a V8 CPU profile there on exit (see bench/cpuprofile-top.mjs). */
const CPU_PROF = process.argv.find((a) => a.startsWith('--cpu-prof='))?.slice('--cpu-prof='.length);

type Kind = 'list' | 'view' | 'create' | 'update' | 'delete' | 'auth' | 'refresh';
/** The mix, as weights: reads 55 %, writes 30 %, auth 15 %. */
const MIX: Array<[Kind, number]> = [['list', 35], ['view', 20], ['create', 12], ['update', 12], ['delete', 6], ['auth', 5], ['refresh', 10]];
const TOTAL_WEIGHT = MIX.reduce((s, [, w]) => s + w, 0);

const stats = {
  byKind: new Map<Kind, number>(),
  byStatus: new Map<number, number>(),
  byKindStatus: new Map<string, number>(),
  failures: 0,
  serverErrors: [] as string[],
  latencies: [] as number[],
  events: 0,
};

function pick(): Kind {
  let r = Math.random() * TOTAL_WEIGHT;
  for (const [kind, w] of MIX) if ((r -= w) < 0) return kind;
  return 'list';
}

const dataDir = copyFixture();
const port = await freePort();
const server = await startChild('plinth', plinthArgs(dataDir, port, CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`] : []), port);
const base = server.url;

async function api(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; json: unknown }> {
  const res = await fetch(base + path, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: token } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

// setup: the auth guard off (unless kept), MFA off, a public collection with 1 000 records
if (!KEEP_AUTH_GUARD) await api('PATCH', '/api/settings', { rateLimits: { authGuard: { enabled: false } } }, superuserToken);
// the fixture's users collection asks for MFA (a 401 with an mfaId): sign-ins here complete in one step
await api('PATCH', '/api/collections/users', { mfa: { enabled: false } }, superuserToken);
const created = await api('POST', '/api/collections', {
  name: 'ld_posts', type: 'base', listRule: '', viewRule: '', createRule: "@request.auth.id != ''", updateRule: "@request.auth.id != ''", deleteRule: "@request.auth.id != ''",
  fields: [{ name: 'title', type: 'text' }, { name: 'n', type: 'number' }, { name: 'secret', type: 'text', hidden: true }, { name: 'author', type: 'relation', collectionId: '_pb_users_auth_', maxSelect: 1 }],
  indexes: ['CREATE INDEX idx_ld_posts_n ON ld_posts (n)'],
}, superuserToken);
if (created.status !== 200) throw new Error(`setup failed: ${JSON.stringify(created.json)}`);
const ids: string[] = [];
for (let i = 0; i < 1000; i++) {
  const r = await api('POST', '/api/collections/ld_posts/records', { title: `post ${i}`, n: i, secret: `s${i}`, author: '4q1xlclmfloku33' }, superuserToken);
  ids.push((r.json as { id: string }).id);
}

const deadline = Date.now() + MINUTES * 60_000;
const randomId = () => ids[Math.floor(Math.random() * ids.length)] ?? 'x';

async function one(kind: Kind): Promise<void> {
  const started = performance.now();
  let status = 0;
  try {
    switch (kind) {
      case 'list': {
        const n = Math.floor(Math.random() * 1000);
        const q = new URLSearchParams({ filter: `n >= ${n} && title ~ 'post'`, sort: '-n', perPage: '20', expand: 'author', skipTotal: Math.random() < 0.5 ? '1' : '0' });
        status = (await api('GET', `/api/collections/ld_posts/records?${q}`, undefined, Math.random() < 0.5 ? userToken : undefined)).status;
        break;
      }
      case 'view':
        status = (await api('GET', `/api/collections/ld_posts/records/${randomId()}`)).status;
        break;
      case 'create': {
        const r = await api('POST', '/api/collections/ld_posts/records', { title: 'post new', n: Math.floor(Math.random() * 1000), secret: 'x' }, userToken);
        status = r.status;
        if (status === 200) ids.push((r.json as { id: string }).id);
        break;
      }
      case 'update':
        status = (await api('PATCH', `/api/collections/ld_posts/records/${randomId()}`, { title: `post upd ${Date.now()}` }, userToken)).status;
        break;
      case 'delete': {
        // delete what the run created (keeps the table near its size); a lost race answers 404
        const id = ids.length > 1000 ? ids.splice(1000 + Math.floor(Math.random() * (ids.length - 1000)), 1)[0] : undefined;
        status = id ? (await api('DELETE', `/api/collections/ld_posts/records/${id}`, undefined, userToken)).status : (await api('GET', '/api/health')).status;
        break;
      }
      case 'auth':
        status = (await api('POST', '/api/collections/users/auth-with-password', { identity: 'test@example.com', password: Math.random() < 0.7 ? '1234567890' : 'wrong-password' })).status;
        break;
      case 'refresh':
        status = (await api('POST', '/api/collections/users/auth-refresh', undefined, userToken)).status;
        break;
    }
  } catch (err) {
    stats.failures++;
    stats.serverErrors.push(`${kind}: ${String(err)}`);
  }
  stats.byKind.set(kind, (stats.byKind.get(kind) ?? 0) + 1);
  stats.byStatus.set(status, (stats.byStatus.get(status) ?? 0) + 1);
  stats.byKindStatus.set(`${kind} ${status}`, (stats.byKindStatus.get(`${kind} ${status}`) ?? 0) + 1);
  if (status >= 500) stats.serverErrors.push(`${kind}: ${status}`);
  if (stats.latencies.length < 2_000_000) stats.latencies.push(performance.now() - started);
}

async function worker(): Promise<void> {
  while (Date.now() < deadline) await one(pick());
}

/** An SSE client subscribed to ld_posts for the whole run; reconnects if the stream ends. */
async function realtimeClient(i: number): Promise<void> {
  while (Date.now() < deadline) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), Math.max(0, deadline - Date.now()));
    try {
      const res = await fetch(`${base}/api/realtime`, { signal: controller.signal });
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      let subscribed = false;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        if (!subscribed) {
          const id = /"clientId":"(\w+)"/.exec(buffer)?.[1];
          if (id) {
            subscribed = true;
            const sub = await api('POST', '/api/realtime', { clientId: id, subscriptions: ['ld_posts'] }, i % 2 === 0 ? userToken : undefined);
            if (sub.status >= 500) stats.serverErrors.push(`realtime subscribe: ${sub.status}`);
          }
        }
        const events = buffer.split('\n\n');
        buffer = events.pop() ?? '';
        stats.events += events.filter((e) => e.includes('event:ld_posts')).length;
      }
    } catch (err) {
      if (!controller.signal.aborted) {
        stats.failures++;
        stats.serverErrors.push(`realtime: ${String(err)}`);
      }
    } finally {
      clearTimeout(timer);
    }
  }
}

const samples: Array<{ s: number; rss: number; requests: number; events: number }> = [];
const startedAt = Date.now();
let lastRequests = 0;
const total = () => [...stats.byKind.values()].reduce((a, b) => a + b, 0);
const sampler = setInterval(() => {
  const requests = total();
  const s = Math.round((Date.now() - startedAt) / 1000);
  const rss = rssMb(server.proc.pid);
  samples.push({ s, rss, requests, events: stats.events });
  console.error(`${s} s  ${((requests - lastRequests) / SAMPLE_S).toFixed(0)} req/s  rss ${rss.toFixed(0)} MB  5xx ${stats.serverErrors.length}  events ${stats.events}`);
  lastRequests = requests;
}, SAMPLE_S * 1000);

await Promise.all([
  ...Array.from({ length: CONNECTIONS - SSE }, () => worker()),
  ...Array.from({ length: SSE }, (_, i) => realtimeClient(i)),
]);
clearInterval(sampler);
await sleep(200);
const finalRss = rssMb(server.proc.pid);
await server.stop();
removeDir(dataDir);

const seconds = (Date.now() - startedAt) / 1000;
const sorted = stats.latencies.sort((a, b) => a - b);
const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
const afterWarmup = samples.filter((x) => x.s >= 60);
const rssValues = (afterWarmup.length > 0 ? afterWarmup : samples).map((x) => x.rss);
console.log(`## security load run: ${CONNECTIONS} connections (${SSE} SSE) for ${MINUTES} min`);
console.log('');
console.log(`- requests: ${total()} in ${seconds.toFixed(0)} s (${(total() / seconds).toFixed(0)} req/s); p50 ${pct(0.5).toFixed(1)} ms, p99 ${pct(0.99).toFixed(1)} ms`);
console.log(`- by kind: ${[...stats.byKind.entries()].map(([k, n]) => `${k} ${n}`).join(', ')}`);
console.log(`- by status: ${[...stats.byStatus.entries()].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}: ${n}`).join(', ')}`);
console.log(`- by kind and status: ${[...stats.byKindStatus.entries()].sort().map(([k, n]) => `${k}: ${n}`).join(', ')}`);
console.log(`- 5xx or failed: ${stats.serverErrors.length}${stats.serverErrors.length ? ` (${stats.serverErrors.slice(0, 5).join('; ')})` : ''}`);
console.log(`- realtime events received: ${stats.events}`);
console.log(`- server RSS (MB) after the first minute: min ${Math.min(...rssValues).toFixed(0)}, max ${Math.max(...rssValues).toFixed(0)}, last ${finalRss.toFixed(0)}`);
console.log(`- RSS over time: ${samples.map((x) => `${x.s}s ${x.rss.toFixed(0)}`).join(', ')}`);
process.exit(stats.serverErrors.length > 0 ? 1 : 0);
