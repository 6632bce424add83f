// The cluster harness (issue 18): N Plinth nodes on a private PostgreSQL and Redis behind a
// round-robin balancer on 127.0.0.1; a baseline load (CPU per request per node), cross-node
// realtime latency, then fault runs during streams of creates: kill -9 of a node, Redis stopped
// and started, PostgreSQL restarted. After each, every create that was answered 200 is looked up
// in the database; the table says what was done and what was lost (must be nothing).
//
//   npm run build && npx tsx bench/cluster/run.ts [--nodes=3] [--secs=8] [--writers=12] [--events=300]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { EventSource } from 'eventsource';
import pg from 'pg';
import PocketBase from 'pocketbase';
import { ROOT, cpuMs, freePort, sleep, startChild, type ChildServer } from '../lib.js';
import { startPrivatePostgres as startPostgres } from '../../test/helpers/private-postgres.js';
import { startPrivateRedis as startRedis } from '../../test/helpers/private-redis.js';
import { startBalancer } from '../../test/helpers/round-robin-balancer.js';

(globalThis as { EventSource?: unknown }).EventSource ??= EventSource;

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '3' },
    secs: { type: 'string', default: '8' },
    writers: { type: 'string', default: '12' },
    events: { type: 'string', default: '300' },
  },
});
const NODES = Number(values.nodes);
const SECS = Number(values.secs);
const ADMIN = { email: 'cluster@example.com', password: 'cluster-password-1' };
const log = (line: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

const pgService = await startPostgres();
const redisService = await startRedis();
const dirs: string[] = [];
const nodes: Array<ChildServer | null> = [];
const ports: number[] = [];
const nodeArgs = (i: number) => [join(ROOT, 'bin/plinth.js'), 'serve', `--http=127.0.0.1:${ports[i]}`, `--dir=${dirs[i]}`, `--db=${pgService.url}`, `--redis=${redisService.url}`];
const startNode = async (i: number) => {
  nodes[i] = await startChild(`node${i}`, nodeArgs(i), ports[i] as number);
};
const rows: string[][] = [];

try {
  log(`PostgreSQL ${pgService.url}, Redis ${redisService.url}`);
  for (let i = 0; i < NODES; i++) {
    dirs.push(mkdtempSync(join(tmpdir(), `plinth-cluster-n${i}-`)));
    ports.push(await freePort());
    await startNode(i);
  }
  const { execFileSync } = await import('node:child_process');
  execFileSync(process.execPath, [join(ROOT, 'bin/plinth.js'), 'superuser', 'upsert', ADMIN.email, ADMIN.password, `--dir=${dirs[0]}`, `--db=${pgService.url}`], { stdio: 'ignore' });
  const balancer = await startBalancer(() => nodes.filter((n): n is ChildServer => n !== null).map((n) => n.url), await freePort());
  const admin = new PocketBase(balancer.url);
  admin.autoCancellation(false);
  await admin.collection('_superusers').authWithPassword(ADMIN.email, ADMIN.password);
  await admin.collections.create({
    name: 'items', type: 'base', listRule: '', viewRule: '', createRule: '',
    fields: [{ name: 'title', type: 'text' }, { name: 'sentAt', type: 'number' }, { name: 'created', type: 'autodate', onCreate: true }],
  });
  await sleep(300);
  const db = new pg.Pool({ connectionString: pgService.url, max: 2 });
  db.on('error', () => undefined);
  log(`${NODES} nodes behind ${balancer.url}`);

  // --- baseline: CPU per request per node ------------------------------------------------------
  const seedIds: string[] = [];
  for (let i = 0; i < 50; i++) seedIds.push((await admin.collection('items').create({ title: `seed ${i}` })).id);
  const before = nodes.map((n) => cpuMs(n?.proc.pid));
  const result = await autocannon({
    url: balancer.url, connections: 30, duration: SECS,
    requests: [{
      method: 'GET',
      setupRequest: (r) => {
        const roll = Math.random();
        if (roll < 0.5) return { ...r, path: `/api/collections/items/records/${seedIds[Math.floor(Math.random() * seedIds.length)]}` };
        if (roll < 0.8) return { ...r, path: '/api/collections/items/records?perPage=20&skipTotal=1&sort=-created' };
        return { ...r, method: 'POST', path: '/api/collections/items/records', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'load' }) };
      },
    }],
  });
  const cpu = nodes.map((n, i) => cpuMs(n?.proc.pid) - (before[i] ?? 0));
  const total = result.requests.total;
  console.log(`\n## Baseline: 50% get, 30% list 20, 20% create, 30 connections, ${SECS} s through the balancer\n`);
  console.log(`${Math.round(total / result.duration)} req/s in all, ${result.non2xx} non-2xx, p99 ${result.latency.p99} ms`);
  console.log(`CPU per request, each node's CPU over the requests it served (≈ total/${NODES}): ${cpu.map((c, i) => `node${i} ${((c * 1000) / (total / NODES)).toFixed(0)} µs`).join(', ')}`);

  // --- cross-node realtime latency -----------------------------------------------------------
  const subscriber = new PocketBase((nodes[0] as ChildServer).url);
  const latencies: number[] = [];
  await subscriber.collection('items').subscribe('*', (e) => {
    if (e.action === 'create' && typeof e.record['sentAt'] === 'number' && e.record['sentAt'] > 0) latencies.push(performance.timeOrigin + performance.now() - e.record['sentAt']);
  });
  await sleep(300);
  const writer = new PocketBase((nodes[1] as ChildServer).url);
  for (let i = 0; i < Number(values.events); i++) await writer.collection('items').create({ title: 'rt', sentAt: performance.timeOrigin + performance.now() });
  await sleep(500);
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => (latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN).toFixed(1);
  console.log(`\n## Cross-node realtime: write on node1, SSE subscriber on node0\n\n${latencies.length}/${values.events} events, p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms`);

  // --- fault runs ------------------------------------------------------------------------------
  const stream = async (label: string, fault: () => Promise<string>) => {
    const acknowledged: string[] = [];
    const statuses = new Map<string, number>();
    let stop = false;
    const one = async (w: number) => {
      for (let i = 0; !stop; i++) {
        let status = 'error';
        try {
          const res = await fetch(`${balancer.url}/api/collections/items/records`, {
            method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: `${label} ${w}-${i}` }),
            signal: AbortSignal.timeout(10_000),
          });
          status = String(res.status);
          const body = await res.json().catch(() => null) as { id?: string } | null;
          if (res.status === 200 && body?.id) acknowledged.push(body.id);
          if (res.status !== 200) await sleep(50);
        } catch {
          await sleep(50);
        }
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    };
    const writers = Array.from({ length: Number(values.writers) }, (_, w) => one(w));
    await sleep(1500);
    const done = await fault();
    await sleep(1500);
    stop = true;
    await Promise.all(writers);
    let found = 0;
    for (let i = 0; i < acknowledged.length; i += 500) {
      const chunk = acknowledged.slice(i, i + 500);
      found += Number((await db.query('SELECT count(*) AS n FROM items WHERE id = ANY($1)', [chunk])).rows[0].n);
    }
    const codes = [...statuses.entries()].sort().map(([k, v]) => `${k}: ${v}`).join(', ');
    rows.push([label, done, String([...statuses.values()].reduce((a, b) => a + b, 0)), String(acknowledged.length), String(acknowledged.length - found), codes]);
    log(`${label}: ${acknowledged.length} acknowledged, ${acknowledged.length - found} lost (${codes})`);
  };

  await stream('kill -9 node2', async () => {
    nodes[2]?.proc.kill('SIGKILL');
    nodes[2] = null;
    await sleep(2000);
    await startNode(2);
    return 'SIGKILL, restarted 2 s later';
  });
  await stream('Redis down', async () => {
    await redisService.stop();
    await sleep(3000);
    await redisService.start();
    return 'stopped 3 s, then started';
  });
  // realtime across nodes again after the Redis outage
  const seen: string[] = [];
  await subscriber.realtime.unsubscribe();
  await subscriber.collection('items').subscribe('*', (e) => void seen.push(String(e.record['title'])));
  await sleep(2000);
  await writer.collection('items').create({ title: 'after redis' });
  await sleep(1000);
  log(`realtime across nodes after the Redis outage: ${seen.includes('after redis') ? 'yes' : 'NO'}`);
  await stream('PostgreSQL restart', async () => {
    await pgService.stop('fast');
    await sleep(2000);
    await pgService.start();
    return 'fast shutdown, started 2 s later';
  });
  await stream('PostgreSQL kill -9', async () => {
    await pgService.stop('kill');
    await sleep(1000);
    await pgService.start();
    return 'SIGKILL, crash recovery on start';
  });

  console.log('\n## Fault runs (creates through the balancer during each fault)\n');
  console.log('| fault | what was done | requests | acknowledged (200) | lost | answers |\n|---|---|---|---|---|---|');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  console.log(`\nrealtime across nodes after the Redis outage: ${seen.includes('after redis') ? 'yes' : 'no'}`);
  await subscriber.realtime.unsubscribe();
  await db.end();
  await balancer.close();
} finally {
  for (const n of nodes) await n?.stop();
  await redisService.stop();
  await pgService.stop('fast').catch(() => undefined);
  pgService.remove();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
