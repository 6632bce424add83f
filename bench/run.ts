// The Plinth benchmark: seeds a data dir, starts Plinth and the bare Fastify + better-sqlite3
// baseline as child processes on free loopback ports, loads both with autocannon (interleaved,
// same concurrency), and prints one table. See bench/README.md.
//
//   npm run bench                      # 100,000 records, 2 × 10 s per server and case
//   npm run bench -- --quick           # smoke check, well under 2 minutes
//   npm run bench -- --records=20000 --duration=5 --rounds=3 --cases=get,list --out=results.md
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { execSync } from 'node:child_process';
import autocannon, { type AutocannonResult } from 'autocannon';
import { cpuMs, freePort, median, patchJson, plinthArgs, postJson, ROOT, rssMb, RssSampler, sleep, startChild, type ChildServer } from './lib.js';
import { CASES, type Case, type Ctx } from './cases.js';
import { seedCollections, seedMain, superuserToken, USER_PASSWORD, type SeedResult } from './seed.js';

const { values: argv } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    records: { type: 'string' },
    users: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    rounds: { type: 'string' },
    connections: { type: 'string', default: '50' },
    cases: { type: 'string' },
    collections: { type: 'string', default: '100' },
    'start-runs': { type: 'string' },
    out: { type: 'string' },
    'cpu-prof': { type: 'boolean', default: false },
    'plinth-only': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    'no-request-log': { type: 'boolean', default: false },
  },
});

const quick = argv.quick ?? false;
const opts = {
  records: Number(argv.records ?? (quick ? 5_000 : 100_000)),
  users: Number(argv.users ?? (quick ? 100 : 1_000)),
  duration: Number(argv.duration ?? (quick ? 2 : 10)),
  warmup: Number(argv.warmup ?? (quick ? 0.5 : 2)),
  rounds: Number(argv.rounds ?? (quick ? 1 : 2)),
  connections: Number(argv.connections),
  collections: Number(argv.collections),
  startRuns: Number(argv['start-runs'] ?? (quick ? 3 : 7)),
};


interface Measured {
  reqs: number;
  duration: number;
  p50: number[];
  p99: number[];
  errors: number;
  ok: number;
  peakRss: number;
  /** CPU time the server used during the measured runs (ms). */
  cpu: number;
  /** The part of `cpu` spent on the main thread, the event loop (ms). */
  loopCpu: number;
}
const empty = (): Measured => ({ reqs: 0, duration: 0, p50: [], p99: [], errors: 0, ok: 0, peakRss: 0, cpu: 0, loopCpu: 0 });

async function load(server: ChildServer, c: Case, ctx: Ctx, seconds: number, into?: Measured): Promise<void> {
  const sampler = new RssSampler(server.proc.pid);
  const cpuBefore = cpuMs(server.proc.pid);
  const loopBefore = cpuMs(server.proc.pid, server.proc.pid);
  const result: AutocannonResult = await autocannon({
    url: server.url, connections: c.connections ?? opts.connections, duration: seconds, timeout: 30, requests: [c.request(ctx)],
  });
  const peak = sampler.stop();
  const cpu = cpuMs(server.proc.pid) - cpuBefore;
  const loopCpu = cpuMs(server.proc.pid, server.proc.pid) - loopBefore;
  // let the server finish what was still in flight (slow cases) before the next run starts
  await sleep(Math.min(5000, result.latency.max + 100));
  if (!into) return;
  into.reqs += result.requests.total;
  into.duration += result.duration;
  into.p50.push(result.latency.p50);
  into.p99.push(result.latency.p99);
  into.errors += result.non2xx + result.errors + result.timeouts;
  into.ok += result['2xx'];
  into.peakRss = Math.max(into.peakRss, peak);
  into.cpu += cpu;
  into.loopCpu += loopCpu;
}

async function tokensFor(server: ChildServer, seed: SeedResult, count: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < count && i < seed.userEmails.length; i++) {
    const res = await postJson<{ token: string }>(`${server.url}/api/collections/users/auth-with-password`, { identity: seed.userEmails[i], password: USER_PASSWORD });
    out.push(res.token);
  }
  return out;
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a');
const rate = (x: Measured) => x.reqs / Math.max(1e-9, x.duration);
/** `ms` of CPU spread over the requests `x` served, in µs per request. */
const usPerReq = (x: Measured, ms: number) => (x.reqs > 0 ? (ms * 1000) / x.reqs : Number.NaN);
const mean = (list: number[]) => list.reduce((a, b) => a + b, 0) / Math.max(1, list.length);

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'plinth-bench-'));
  const plinthDir = join(work, 'plinth');
  const bareDir = join(work, 'bare');
  const manyDir = join(work, 'collections');
  const profileDir = join(ROOT, 'bench', '.profiles');
  const children: ChildServer[] = [];
  const started = Date.now();
  const log = (msg: string) => console.error(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}`);
  try {
    log(`seeding ${opts.records.toLocaleString('en-US')} posts and ${opts.users} users in ${work}`);
    const seed = await seedMain(plinthDir, opts.records, opts.users);
    mkdirSync(bareDir);
    copyFileSync(join(plinthDir, 'data.db'), join(bareDir, 'data.db'));
    log(`seeded in ${(seed.seedMs / 1000).toFixed(1)} s; creating ${opts.collections} collections for the start-up test`);
    await seedCollections(manyDir, opts.collections);

    // start-up time and idle memory with many collections
    const startMs: number[] = [];
    const idleManyRss: number[] = [];
    for (let i = 0; i < opts.startRuns; i++) {
      const port = await freePort();
      const s = await startChild('plinth', plinthArgs(manyDir, port), port);
      startMs.push(s.startMs);
      await sleep(1000);
      idleManyRss.push(rssMb(s.proc.pid));
      await s.stop();
    }
    log(`start → healthy with ${opts.collections} collections: median ${fmt(median(startMs))} ms`);

    const plinthPort = await freePort();
    const nodeFlags = argv['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    const plinth = await startChild('plinth', plinthArgs(plinthDir, plinthPort, nodeFlags), plinthPort);
    children.push(plinth);
    // PocketBase logs every request by default, and so does Plinth; this shows what that costs
    if (argv['no-request-log']) await patchJson(`${plinth.url}/api/settings`, { logs: { maxDays: 0 } }, await superuserToken(plinth.url));
    const barePort = await freePort();
    const bare = await startChild('bare', [...nodeFlags, '--import', 'tsx', join(ROOT, 'bench/bare-sqlite-server.ts'), `--dir=${bareDir}`, `--http=127.0.0.1:${barePort}`], barePort);
    children.push(bare);
    await sleep(1000);
    const idle = { plinth: rssMb(plinth.proc.pid), bare: rssMb(bare.proc.pid) };
    log(`idle RSS: Plinth ${fmt(idle.plinth, 1)} MB, bare ${fmt(idle.bare, 1)} MB`);

    const ctxPlinth: Ctx = { seed, tokens: await tokensFor(plinth, seed, 20) };
    const ctxBare: Ctx = { seed, tokens: await tokensFor(bare, seed, 20) };
    const wanted = argv.cases ? new Set(argv.cases.split(',')) : null;
    const cases = CASES.filter((c) => !wanted || wanted.has(c.key));
    const servers = argv['plinth-only'] ? [plinth] : [plinth, bare];
    const results: { c: Case; plinth: Measured; bare: Measured }[] = [];
    for (const c of cases) {
      const m = { plinth: empty(), bare: empty() };
      const ctxOf = (s: ChildServer) => (s === plinth ? ctxPlinth : ctxBare);
      const seconds = Math.max(opts.duration, c.minDuration ?? 0);
      for (const s of servers) if (opts.warmup > 0) await load(s, c, ctxOf(s), opts.warmup);
      for (let r = 0; r < opts.rounds; r++) {
        for (const s of servers) await load(s, c, ctxOf(s), seconds, s === plinth ? m.plinth : m.bare);
      }
      results.push({ c, ...m });
      log(`${c.key}: Plinth ${fmt(rate(m.plinth))} req/s (${fmt(usPerReq(m.plinth, m.plinth.cpu))} µs CPU/req), bare ${fmt(rate(m.bare))} req/s (${fmt(usPerReq(m.bare, m.bare.cpu))} µs CPU/req)`);
    }
    const after = { plinth: rssMb(plinth.proc.pid), bare: rssMb(bare.proc.pid) };

    const lines: string[] = [];
    lines.push(`Command: \`npm run bench -- ${process.argv.slice(2).join(' ')}\``.replace(/ `$/, '`'));
    lines.push(`Date: ${new Date().toISOString()}; machine: ${cpus().length} cores (nproc ${execSync('nproc').toString().trim()}), ${cpus()[0]?.model ?? 'unknown CPU'}; Node ${process.version}`);
    lines.push(`Data: ${opts.records.toLocaleString('en-US')} posts, ${opts.users.toLocaleString('en-US')} users; autocannon ${opts.connections} connections; ${opts.rounds} × ${opts.duration} s per server and case after a ${opts.warmup} s warm-up, interleaved Plinth/bare; Plinth's request log ${argv['no-request-log'] ? 'off (`logs.maxDays = 0`)' : 'on (the default)'}.`);
    lines.push('');
    lines.push('| case | Plinth req/s | p50 ms | p99 ms | errors | RSS MB | bare req/s | p50 ms | p99 ms | errors | RSS MB | Plinth / bare | CPU µs/req Plinth / bare | event loop µs/req Plinth / bare |');
    lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const { c, plinth: p, bare: b } of results) {
      const ratio = b.reqs > 0 ? rate(p) / rate(b) : Number.NaN;
      lines.push(`| ${c.key}: ${c.title} | ${fmt(rate(p))} | ${fmt(mean(p.p50), 1)} | ${fmt(Math.max(...p.p99, 0), 1)} | ${p.errors} | ${fmt(p.peakRss)} | ${fmt(rate(b))} | ${fmt(mean(b.p50), 1)} | ${fmt(Math.max(...b.p99, 0), 1)} | ${b.errors} | ${fmt(b.peakRss)} | ${fmt(ratio, 2)}× | ${fmt(usPerReq(p, p.cpu))} / ${fmt(usPerReq(b, b.cpu))} | ${fmt(usPerReq(p, p.loopCpu))} / ${fmt(usPerReq(b, b.loopCpu))} |`);
    }
    lines.push('');
    lines.push(`- Idle RSS after start (${opts.records.toLocaleString('en-US')}-record dir): Plinth ${fmt(idle.plinth, 1)} MB, bare ${fmt(idle.bare, 1)} MB; after the load: Plinth ${fmt(after.plinth, 1)} MB, bare ${fmt(after.bare, 1)} MB.`);
    lines.push(`- Plinth start → first healthy response with ${opts.collections} collections (${opts.startRuns} runs): median ${fmt(median(startMs))} ms, max ${fmt(Math.max(...startMs))} ms; idle RSS there: median ${fmt(median(idleManyRss), 1)} MB.`);
    lines.push(`- Seeding: ${fmt(seed.seedMs / 1000, 1)} s. Total run: ${fmt((Date.now() - started) / 1000)} s.`);
    const report = lines.join('\n');
    console.log(report);
    if (argv.out) writeFileSync(argv.out, `${report}\n`);
  } finally {
    for (const c of children) await c.stop();
    if (!argv.keep) rmSync(work, { recursive: true, force: true });
    else console.error(`kept ${work}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
