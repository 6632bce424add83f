// A/B of Plinth builds on the same data: the servers run side by side on copies of one seeded
// data dir and are loaded in turn (reps × secs per case), and the CPU time each used per request
// is read from /proc. Steadier than two separate `npm run bench` runs for judging one change.
// `bare` in --bins adds the bare server, and each build's ratio to it. See bench/README.md
// ("Comparing two builds").
//
//   npm run bench -- --keep --cases=get --start-runs=0          # prints "kept /tmp/plinth-bench-…"
//   git worktree add /tmp/base HEAD~1 && ln -s "$PWD/node_modules" /tmp/base/ && (cd /tmp/base && npx tsc -p tsconfig.build.json)
//   npx tsx bench/ab.ts --dir=/tmp/plinth-bench-…/plinth --bins=/tmp/base/bin/plinth.js,bin/plinth.js,bare
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import autocannon from 'autocannon';
import { CASES, type Ctx } from './cases.js';
import { cpuMs, freePort, patchJson, postJson, ROOT, rssMb, sleep, startChild, type ChildServer } from './lib.js';
import { superuserToken, USER_PASSWORD } from './seed.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    bins: { type: 'string', default: '/tmp/base/bin/plinth.js,bin/plinth.js' },
    cases: { type: 'string', default: 'get,list,create,update' },
    secs: { type: 'string', default: '6' },
    reps: { type: 'string', default: '3' },
    conns: { type: 'string', default: '50' },
    nolog: { type: 'boolean', default: false },
  },
});
if (!values.dir) throw new Error('--dir=<the plinth dir of a kept benchmark run> is required');
const db = new Database(join(values.dir, 'data.db'), { readonly: true });
const ids = (sql: string) => db.prepare(sql).pluck().all() as string[];
const ctx: Ctx = {
  seed: { dir: values.dir, postIds: ids('SELECT id FROM posts'), userIds: ids('SELECT id FROM users'), userEmails: ids('SELECT email FROM users'), seedMs: 0 },
  tokens: [],
};
db.close();
const entries = values.bins.split(',');
const servers: ChildServer[] = [];
// a build may be named twice: `bin/plinth.js,bin/plinth.js#nolog` measures what the request log costs
for (const entry of entries) {
  const [bin = entry, flag] = entry.split('#');
  const dir = mkdtempSync(join(tmpdir(), 'ab-'));
  cpSync(values.dir, dir, { recursive: true });
  const port = await freePort();
  const s = entry === 'bare'
    ? await startChild('bare', ['--import', 'tsx', join(ROOT, 'bench/bare-sqlite-server.ts'), `--dir=${dir}`, `--http=127.0.0.1:${port}`], port)
    : await startChild(bin, [resolve(bin), 'serve', `--http=127.0.0.1:${port}`, `--dir=${dir}`], port);
  await sleep(1000);
  console.log(`[${servers.length}] ${entry}: start ${s.startMs.toFixed(0)} ms, idle RSS ${rssMb(s.proc.pid).toFixed(1)} MB`);
  if (entry !== 'bare' && (values.nolog || flag === 'nolog')) await patchJson(`${s.url}/api/settings`, { logs: { maxDays: 0 } }, await superuserToken(s.url));
  servers.push(s);
}
const bareAt = entries.indexOf('bare');
// both servers hold copies of the same users, so one server's tokens are good on the other
for (const identity of ctx.seed.userEmails.slice(0, 20)) {
  ctx.tokens.push((await postJson<{ token: string }>(`${servers[0]!.url}/api/collections/users/auth-with-password`, { identity, password: USER_PASSWORD })).token);
}
for (const key of values.cases.split(',')) {
  const c = CASES.find((x) => x.key === key);
  if (!c) throw new Error(`unknown case "${key}" (cases: ${CASES.map((x) => x.key).join(', ')})`);
  const request = c.request(ctx);
  const connections = c.connections ?? Number(values.conns);
  const acc = servers.map(() => ({ reqs: 0, cpu: 0, loop: 0, secs: 0, bad: 0, p99: 0 }));
  for (const s of servers) await autocannon({ url: s.url, connections, duration: 1, requests: [request] });
  for (let rep = 0; rep < Number(values.reps); rep++) {
    // each rep starts with the next server: a fixed order favoured the later ones by up to 10 %
    for (let k = 0; k < servers.length; k++) {
      const i = (rep + k) % servers.length;
      const s = servers[i]!;
      const before = cpuMs(s.proc.pid);
      const loopBefore = cpuMs(s.proc.pid, s.proc.pid);
      const r = await autocannon({ url: s.url, connections, duration: Math.max(Number(values.secs), c.minDuration ?? 0), requests: [request] });
      const a = acc[i]!; a.cpu += cpuMs(s.proc.pid) - before; a.loop += cpuMs(s.proc.pid, s.proc.pid) - loopBefore; a.reqs += r.requests.total; a.secs += r.duration; a.bad += r.non2xx + r.errors; a.p99 = Math.max(a.p99, r.latency.p99);
      await sleep(300);
    }
  }
  const rate = (i: number) => acc[i]!.reqs / acc[i]!.secs;
  console.log(`${key}:`);
  acc.forEach((a, i) => {
    const vsBare = bareAt >= 0 && i !== bareAt ? `  ${(rate(i) / rate(bareAt)).toFixed(2)}× bare` : '';
    console.log(`  [${i}] ${rate(i).toFixed(0)} req/s  ${(a.cpu * 1000 / a.reqs).toFixed(1)} µs/req (event loop ${(a.loop * 1000 / a.reqs).toFixed(1)})  p99 ${a.p99} ms${a.bad ? `  bad ${a.bad}` : ''}${vsBare}`);
  });
  if (bareAt < 0 && acc.length === 2) console.log(`  ratio [1] / [0]: ${(rate(1) / rate(0)).toFixed(2)}`);
}
for (const s of servers) await s.stop();
