// A/B of two Plinth builds on the same data: both servers run side by side on copies of one
// seeded data dir and are loaded in turn (reps × secs per case), and the CPU time each used per
// request is read from /proc. Steadier than two separate `npm run bench` runs for judging one
// change. See bench/README.md ("Comparing two builds").
//
//   npm run bench -- --keep --cases=get --start-runs=0          # prints "kept /tmp/plinth-bench-…"
//   git worktree add /tmp/base HEAD~1 && ln -s "$PWD/node_modules" /tmp/base/ && (cd /tmp/base && npx tsc -p tsconfig.build.json)
//   npx tsx bench/ab.ts --dir=/tmp/plinth-bench-…/plinth --bins=/tmp/base/bin/plinth.js,bin/plinth.js
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { randomInt } from 'node:crypto';
import Database from 'better-sqlite3';
import autocannon, { type AutocannonRequest } from 'autocannon';
import { cpuMs, freePort, patchJson, rssMb, sleep, startChild, type ChildServer } from './lib.js';
import { superuserToken } from './seed.js';
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
const postIds = db.prepare('SELECT id FROM posts').pluck().all() as string[];
const userIds = db.prepare('SELECT id FROM users').pluck().all() as string[];
db.close();
const servers: ChildServer[] = [];
for (const bin of values.bins!.split(',')) {
  const dir = mkdtempSync(join(tmpdir(), 'ab-'));
  cpSync(values.dir, dir, { recursive: true });
  const port = await freePort();
  const s = await startChild(bin, [resolve(bin), 'serve', `--http=127.0.0.1:${port}`, `--dir=${dir}`], port);
  await sleep(1000);
  console.log(`${bin}: start ${s.startMs.toFixed(0)} ms, idle RSS ${rssMb(s.proc.pid).toFixed(1)} MB`);
  if (values.nolog) await patchJson(`${s.url}/api/settings`, { logs: { maxDays: 0 } }, await superuserToken(s.url));
  servers.push(s);
}
const pick = <T,>(l: T[]) => l[randomInt(0, l.length)]!;
const json = { 'content-type': 'application/json' };
const reqs: Record<string, AutocannonRequest> = {
  get: { method: 'GET', setupRequest: (r: AutocannonRequest) => ({ ...r, path: `/api/collections/posts/records/${pick(postIds)}` }) },
  list: { method: 'GET', setupRequest: (r: AutocannonRequest) => ({ ...r, path: `/api/collections/posts/records?perPage=20&filter=${encodeURIComponent(`views>${randomInt(0, 900000)}`)}&sort=-views&skipTotal=1` }) },
  expand: { method: 'GET', setupRequest: (r: AutocannonRequest) => ({ ...r, path: `/api/collections/posts/records?perPage=20&filter=${encodeURIComponent(`views>${randomInt(0, 900000)}`)}&sort=-views&skipTotal=1&expand=author` }) },
  create: { method: 'POST', path: '/api/collections/posts/records', headers: json, setupRequest: (r: AutocannonRequest) => ({ ...r, body: JSON.stringify({ title: `Bench post ${randomInt(0, 1e9)}`, views: randomInt(0, 1e6), author: pick(userIds), tags: ['news'] }) }) },
  update: { method: 'PATCH', headers: json, setupRequest: (r: AutocannonRequest) => ({ ...r, path: `/api/collections/posts/records/${pick(postIds)}`, body: JSON.stringify({ title: `Updated ${randomInt(0, 1e9)}`, views: randomInt(0, 1e6) }) }) },
};
for (const c of values.cases!.split(',')) {
  const acc = servers.map(() => ({ reqs: 0, cpu: 0, secs: 0, bad: 0 }));
  for (const s of servers) await autocannon({ url: s.url, connections: 50, duration: 1, requests: [reqs[c]!] });
  for (let rep = 0; rep < Number(values.reps); rep++) {
    for (const [i, s] of servers.entries()) {
      const before = cpuMs(s.proc.pid);
      const r = await autocannon({ url: s.url, connections: Number(values.conns), duration: Number(values.secs), requests: [reqs[c]!] });
      const a = acc[i]!; a.cpu += cpuMs(s.proc.pid) - before; a.reqs += r.requests.total; a.secs += r.duration; a.bad += r.non2xx + r.errors;
      await sleep(300);
    }
  }
  console.log(`${c}: ` + acc.map((a, i) => `[${i}] ${(a.reqs / a.secs).toFixed(0)} req/s ${(a.cpu * 1000 / a.reqs).toFixed(1)} µs/req${a.bad ? ` bad ${a.bad}` : ''}`).join('  ') + `  ratio ${((acc[1]!.reqs / acc[1]!.secs) / (acc[0]!.reqs / acc[0]!.secs)).toFixed(2)}`);
}
for (const s of servers) await s.stop();
