// GraphQL against REST on one Plinth server (issue 16's target: GraphQL within 1.5× of REST's CPU
// per request): the same page (20 posts, filter views>X, sort -views, no totals, each with its
// author) asked for over `GET …/records?…&expand=author` and over `POST /api/graphql`, the
// GraphQL query selecting every field REST returns. The two are loaded in turn, `--reps` times
// each for `--secs` seconds, and the server's CPU time per request is read from /proc.
//
//   npm run build && npx tsx bench/graphql-vs-rest.ts [--records=20000] [--secs=8] [--reps=3]
//
// `--cpu-prof` writes the server's V8 profile to bench/.profiles/ (read it with
// bench/cpuprofile-top.mjs); `--log` keeps the request log on (off by default: it costs both alike).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import autocannon, { type AutocannonRequest } from 'autocannon';
import { cpuMs, freePort, patchJson, plinthArgs, sleep, startChild } from './lib.js';
import { MAX_VIEWS, seedMain, superuserToken } from './seed.js';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '20000' },
    users: { type: 'string', default: '500' },
    secs: { type: 'string', default: '8' },
    reps: { type: 'string', default: '3' },
    conns: { type: 'string', default: '50' },
    log: { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
  },
});

const filterValue = () => randomInt(0, MAX_VIEWS * 0.9);
const GRAPHQL_QUERY = `query($f: String) { posts(perPage: 20, filter: $f, sort: "-views") {
  page perPage items { collectionId collectionName id title views author tags created updated
    expand { author { collectionId collectionName id emailVisibility verified name avatar { name url } created updated } } } } }`;

const CASES: Array<{ key: string; request: AutocannonRequest }> = [
  {
    key: 'REST  list 20 + expand=author',
    request: {
      method: 'GET',
      setupRequest: (r) => ({ ...r, path: `/api/collections/posts/records?perPage=20&filter=${encodeURIComponent(`views>${filterValue()}`)}&sort=-views&skipTotal=1&expand=author` }),
    },
  },
  {
    key: 'GraphQL the same page, GET',
    request: {
      method: 'GET',
      setupRequest: (r) => ({ ...r, path: `/api/graphql?query=${encodeURIComponent(GRAPHQL_QUERY)}&variables=${encodeURIComponent(JSON.stringify({ f: `views>${filterValue()}` }))}` }),
    },
  },
  {
    key: 'GraphQL the same page, POST',
    request: {
      method: 'POST', path: '/api/graphql', headers: { 'content-type': 'application/json' },
      setupRequest: (r) => ({ ...r, body: JSON.stringify({ query: GRAPHQL_QUERY, variables: { f: `views>${filterValue()}` } }) }),
    },
  },
];

const dir = mkdtempSync(join(tmpdir(), 'plinth-gql-bench-'));
try {
  console.error(`seeding ${values.records} posts, ${values.users} users in ${dir} …`);
  await seedMain(dir, Number(values.records), Number(values.users));
  const port = await freePort();
  const profile = values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${join(import.meta.dirname, '.profiles')}`] : [];
  const server = await startChild('plinth', plinthArgs(dir, port, profile), port);
  try {
    if (!values.log) await patchJson(`${server.url}/api/settings`, { logs: { maxDays: 0 } }, await superuserToken(server.url));
    // the answers must carry the same records and authors: compare one page
    type Item = { id: string; title: string; expand?: { author?: { id: string; name: string } } };
    const pairs = (items: Item[]) => JSON.stringify(items.map((i) => [i.id, i.title, i.expand?.author?.id, i.expand?.author?.name]));
    const rest = await (await fetch(`${server.url}/api/collections/posts/records?perPage=20&filter=views>1000&sort=-views&skipTotal=1&expand=author`)).json() as { items: Item[] };
    const gql = await (await fetch(`${server.url}/api/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: GRAPHQL_QUERY, variables: { f: 'views>1000' } }) })).json() as { data: { posts: { items: Item[] } } };
    if (rest.items.length !== 20 || pairs(rest.items) !== pairs(gql.data.posts.items)) throw new Error('REST and GraphQL answered different records');
    const acc = CASES.map(() => ({ reqs: 0, secs: 0, cpu: 0, loop: 0, bad: 0, p99: 0 }));
    for (const c of CASES) await autocannon({ url: server.url, connections: Number(values.conns), duration: 2, requests: [c.request] });
    for (let rep = 0; rep < Number(values.reps); rep++) {
      for (let k = 0; k < CASES.length; k++) {
        const i = (rep + k) % CASES.length;
        const pid = server.proc.pid;
        const cpu = cpuMs(pid);
        const loop = cpuMs(pid, pid);
        const r = await autocannon({ url: server.url, connections: Number(values.conns), duration: Number(values.secs), requests: [CASES[i]!.request] });
        const a = acc[i]!;
        a.cpu += cpuMs(pid) - cpu; a.loop += cpuMs(pid, pid) - loop; a.reqs += r.requests.total; a.secs += r.duration;
        a.bad += r.non2xx + r.errors; a.p99 = Math.max(a.p99, r.latency.p99);
        await sleep(300);
      }
    }
    console.log(`| case | req/s | CPU µs/req | event loop µs/req | p99 ms | errors |\n|---|---|---|---|---|---|`);
    acc.forEach((a, i) => console.log(`| ${CASES[i]!.key} | ${(a.reqs / a.secs).toFixed(0)} | ${(a.cpu * 1000 / a.reqs).toFixed(1)} | ${(a.loop * 1000 / a.reqs).toFixed(1)} | ${a.p99} | ${a.bad} |`));
    const perReq = (i: number) => acc[i]!.cpu / acc[i]!.reqs;
    console.log(`\nGraphQL / REST CPU per request: GET ${(perReq(1) / perReq(0)).toFixed(2)}×, POST ${(perReq(2) / perReq(0)).toFixed(2)}× (target ≤ 1.5×)`);
  } finally {
    await server.stop();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
