// SSE fan-out benchmark: N raw-HTTP SSE subscribers on one collection, then W writes; reports
// the time from a write to its delivery (p50/p99 over every subscriber and write), the time to
// reach all subscribers, and the server's memory per connection. Not a test: run it by hand.
//
//   npx tsx bench/realtime/sse-fanout.ts --clients=10000 --writes=20
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Args {
  clients: number;
  writes: number;
  intervalMs: number;
  json: boolean;
}

function parseArgs(argv: string[]): Args {
  const get = (name: string, fallback: number) => {
    const arg = argv.find((a) => a.startsWith(`--${name}=`));
    return arg ? Number(arg.split('=')[1]) : fallback;
  };
  return { clients: get('clients', 1000), writes: get('writes', 20), intervalMs: get('interval', 250), json: argv.includes('--json') };
}

interface Mem {
  rss: number;
  heapUsed: number;
  external: number;
  clients: number;
}

class ServerProcess {
  readonly proc: ChildProcess;
  url = '';
  #waiters: Array<(m: Record<string, unknown>) => void> = [];

  constructor() {
    const file = join(dirname(fileURLToPath(import.meta.url)), 'sse-server.ts');
    this.proc = fork(file, [], { execArgv: ['--expose-gc', '--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.proc.on('message', (m: Record<string, unknown>) => this.#waiters.shift()?.(m));
  }

  next(): Promise<Record<string, unknown>> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  async ready(): Promise<void> {
    this.url = String((await this.next())['url']);
  }

  async mem(): Promise<Mem> {
    const reply = this.next();
    this.proc.send({ type: 'mem' });
    return (await reply) as unknown as Mem;
  }

  async stop(): Promise<void> {
    const exited = new Promise((r) => this.proc.once('exit', r));
    this.proc.send({ type: 'stop' });
    await exited;
  }
}

/** One raw SSE connection: reads the client id, then timestamps carried in record titles. */
class Subscriber {
  clientId = '';
  readonly socket: net.Socket;
  #tail = '';
  #onConnect: (() => void) | null = null;

  constructor(port: number, private readonly onEvent: (sentAt: number) => void) {
    this.socket = net.connect(port, '127.0.0.1');
    this.socket.setNoDelay(true);
    this.socket.setEncoding('utf8');
    this.socket.on('connect', () => this.socket.write('GET /api/realtime HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n'));
    this.socket.on('data', (chunk: string) => this.#data(chunk));
    this.socket.on('error', () => undefined);
  }

  connected(): Promise<void> {
    return this.clientId ? Promise.resolve() : new Promise((resolve) => (this.#onConnect = resolve));
  }

  #data(chunk: string): void {
    const now = performance.now();
    const text = this.#tail + chunk;
    const end = text.lastIndexOf('\n\n');
    if (end === -1) {
      this.#tail = text;
      return;
    }
    this.#tail = text.slice(end + 2);
    const complete = text.slice(0, end);
    if (!this.clientId) {
      const m = /"clientId":"([A-Za-z0-9]+)"/.exec(complete);
      if (m?.[1]) {
        this.clientId = m[1];
        this.#onConnect?.();
      }
    }
    for (const m of complete.matchAll(/"title":"([\d.]+)"/g)) this.onEvent(now - Number(m[1]));
  }
}

async function pool<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (i < items.length) await fn(items[i++] as T);
  }));
}

function request(agent: http.Agent, url: string, method: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ms = (v: number) => `${v.toFixed(2)} ms`;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const server = new ServerProcess();
  await server.ready();
  const port = Number(new URL(server.url).port);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const before = await server.mem();

  const latencies: number[] = [];
  let received = 0;
  const onEvent = (latency: number) => {
    latencies.push(latency);
    received++;
  };
  const connectStart = performance.now();
  const subs: Subscriber[] = [];
  for (let i = 0; i < args.clients; i++) subs.push(new Subscriber(port, onEvent));
  await Promise.all(subs.map((s) => s.connected()));
  const connectMs = performance.now() - connectStart;
  const subscribeStart = performance.now();
  await pool(subs, 32, async (s) => {
    const status = await request(agent, `${server.url}/api/realtime`, 'POST', { clientId: s.clientId, subscriptions: ['bench_items/*'] });
    if (status !== 204) throw new Error(`subscribe answered ${status}`);
  });
  const subscribeMs = performance.now() - subscribeStart;
  const after = await server.mem();

  const fanout: number[] = [];
  const writeRtt: number[] = [];
  for (let w = 0; w < args.writes; w++) {
    const expected = received + args.clients;
    const sentAt = performance.now();
    const status = await request(agent, `${server.url}/api/collections/bench_items/records`, 'POST', { title: sentAt.toFixed(3) });
    writeRtt.push(performance.now() - sentAt);
    if (status !== 200) throw new Error(`create answered ${status}`);
    const deadline = Date.now() + 60_000;
    while (received < expected && Date.now() < deadline) await sleep(1);
    fanout.push(performance.now() - sentAt);
    await sleep(args.intervalMs);
  }

  latencies.sort((a, b) => a - b);
  fanout.sort((a, b) => a - b);
  writeRtt.sort((a, b) => a - b);
  const result = {
    clients: args.clients,
    writes: args.writes,
    deliveries: latencies.length,
    expectedDeliveries: args.clients * args.writes,
    connectAllMs: Math.round(connectMs),
    subscribeAllMs: Math.round(subscribeMs),
    deliveryP50Ms: percentile(latencies, 50),
    deliveryP99Ms: percentile(latencies, 99),
    deliveryMaxMs: latencies[latencies.length - 1] ?? NaN,
    allDeliveredP50Ms: percentile(fanout, 50),
    allDeliveredP99Ms: percentile(fanout, 99),
    writeResponseP50Ms: percentile(writeRtt, 50),
    rssPerConnectionKiB: (after.rss - before.rss) / args.clients / 1024,
    heapPerConnectionKiB: (after.heapUsed - before.heapUsed) / args.clients / 1024,
    serverRssMiB: after.rss / 1024 / 1024,
  };
  for (const s of subs) s.socket.destroy();
  await server.stop();
  agent.destroy();
  if (args.json) {
    console.log(JSON.stringify(result));
    return;
  }
  console.log(`SSE fan-out: ${result.clients} subscribers, ${result.writes} writes (${result.deliveries}/${result.expectedDeliveries} deliveries)`);
  console.log(`  connect all: ${result.connectAllMs} ms, subscribe all: ${result.subscribeAllMs} ms`);
  console.log(`  write → delivery  p50 ${ms(result.deliveryP50Ms)}  p99 ${ms(result.deliveryP99Ms)}  max ${ms(result.deliveryMaxMs)}`);
  console.log(`  write → last subscriber  p50 ${ms(result.allDeliveredP50Ms)}  p99 ${ms(result.allDeliveredP99Ms)}`);
  console.log(`  write response p50 ${ms(result.writeResponseP50Ms)}`);
  console.log(`  server memory per connection: ${result.rssPerConnectionKiB.toFixed(1)} KiB RSS, ${result.heapPerConnectionKiB.toFixed(1)} KiB heap (RSS ${result.serverRssMiB.toFixed(0)} MiB)`);
}

await main();
