import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

/** A PostgreSQL server of a test's (or the cluster harness's) own, which it may stop, kill and start. */
export interface PrivatePostgres {
  url: string;
  stop(mode?: 'fast' | 'kill'): Promise<void>;
  start(): Promise<void>;
  remove(): void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));


/** Whether this machine can run a private PostgreSQL: Debian's binaries, root, a `postgres` user. */
export function canRunPrivatePostgres(): boolean {
  try {
    return readdirSync('/usr/lib/postgresql').length > 0 && process.getuid?.() === 0 && execFileSync('id', ['-u', 'postgres']).length > 0;
  } catch {
    return false;
  }
}

function pgBin(name: string): string {
  const versions = readdirSync('/usr/lib/postgresql').sort();
  return `/usr/lib/postgresql/${versions[versions.length - 1]}/bin/${name}`;
}

/**
 * initdb + pg_ctl as the `postgres` user (PostgreSQL refuses to run as root), on a free loopback
 * port, with the data in a temp folder; `fsync=off`, as the data is thrown away.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const root = mkdtempSync(join(tmpdir(), 'plinth-cluster-pg-'));
  chmodSync(root, 0o755);
  const data = join(root, 'data');
  const port = await freePort();
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  chownSync(root, uid, gid);
  const asPostgres = (args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', ...args], { stdio: 'pipe' });
  asPostgres([pgBin('initdb'), '-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const start = async () => {
    asPostgres([pgBin('pg_ctl'), '-D', data, '-l', join(root, 'log'), '-w', '-o', `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  };
  const stop = async (mode: 'fast' | 'kill' = 'fast') => {
    if (mode === 'kill') {
      execFileSync('pkill', ['-9', '-f', `${data}`], { stdio: 'ignore' });
      await sleep(300);
      // a killed postmaster leaves its pid and socket lock files: pg_ctl start recovers from the WAL
      rmSync(join(data, 'postmaster.pid'), { force: true });
      rmSync(join(root, `.s.PGSQL.${port}.lock`), { force: true });
      rmSync(join(root, `.s.PGSQL.${port}`), { force: true });
    } else {
      asPostgres([pgBin('pg_ctl'), '-D', data, '-m', 'fast', '-w', 'stop']);
    }
  };
  await start();
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, start, stop, remove: () => rmSync(root, { recursive: true, force: true }) };
}
