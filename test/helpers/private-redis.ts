import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './free-port.js';
import { canConnect } from './requirements.js';

/** A redis-server of a test's own on a free loopback port, which the test may stop and start. */
export interface PrivateRedis {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}


/**
 * Starts `redis-server` (Debian's, on PATH) with nothing on disk. Fault tests stop this one,
 * never the machine's shared Redis that other suites use.
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let proc: ChildProcess | null = null;
  const start = async () => {
    proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !(await canConnect('127.0.0.1', port, 200)); i++) await new Promise((r) => setTimeout(r, 50));
  };
  const stop = async () => {
    const running = proc;
    proc = null;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, stop, start };
}
