// Helpers of the benchmark: child servers on free loopback ports, health polling, RSS sampling.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** A free TCP port on 127.0.0.1 (asks the kernel for one, then releases it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface ChildServer {
  name: string;
  proc: ChildProcess;
  url: string;
  /** Milliseconds from spawn to the first 200 from /api/health. */
  startMs: number;
  stop(): Promise<void>;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `url` until it answers 200; returns false on timeout or when the process died. */
async function waitHealthy(url: string, proc: ChildProcess, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) return false;
    try {
      const res = await fetch(url);
      if (res.status === 200) {
        await res.arrayBuffer();
        return true;
      }
    } catch {
      // not listening yet
    }
    await sleep(2);
  }
  return false;
}

/** Spawns a Node server (`args` after `node`) that listens on `port`, and waits until healthy. */
export async function startChild(name: string, args: string[], port: number, options: { quiet?: boolean } = {}): Promise<ChildServer> {
  const started = performance.now();
  const proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout?.on('data', (d: Buffer) => { output += d.toString(); });
  proc.stderr?.on('data', (d: Buffer) => { output += d.toString(); });
  const url = `http://127.0.0.1:${port}`;
  const ok = await waitHealthy(`${url}/api/health`, proc, 30_000);
  const startMs = performance.now() - started;
  if (!ok) {
    proc.kill('SIGKILL');
    throw new Error(`${name} did not become healthy:\n${output}`);
  }
  if (!options.quiet) proc.stdout?.removeAllListeners('data');
  const stop = async () => {
    if (proc.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  return { name, proc, url, startMs, stop };
}

export function plinthArgs(dir: string, port: number, extra: string[] = []): string[] {
  return [...extra, join(ROOT, 'bin/plinth.js'), 'serve', `--http=127.0.0.1:${port}`, `--dir=${dir}`];
}

/** Resident set size of a process in MB (Linux /proc), or NaN when unavailable. */
export function rssMb(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU time (user + system) a process has used so far, in ms (Linux /proc; 10 ms ticks). With
 * `thread`, only that thread's: `cpuMs(pid, pid)` is the main thread, i.e. Node's event loop.
 */
export function cpuMs(pid: number | undefined, thread?: number): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

/** Samples a process's RSS every 100 ms and keeps the peak. */
export class RssSampler {
  #peak = 0;
  readonly #timer: NodeJS.Timeout;
  constructor(private readonly pid: number | undefined) {
    this.#timer = setInterval(() => this.#sample(), 100);
    this.#sample();
  }
  #sample(): void {
    const rss = rssMb(this.pid);
    if (rss > this.#peak) this.#peak = rss;
  }
  stop(): number {
    clearInterval(this.#timer);
    this.#sample();
    return this.#peak;
  }
}

export async function postJson<T>(url: string, body: unknown, token?: string): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = token;
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${url} → ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

export async function patchJson<T>(url: string, body: unknown, token?: string): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = token;
  const res = await fetch(url, { method: 'PATCH', headers, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`PATCH ${url} → ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
