import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { conformanceDir } from './paths.js';

/** True under CI (`CI=true`, as the CI runner sets it): missing material or services fail the run. */
export function isCi(): boolean {
  const value = (process.env.CI ?? '').toLowerCase();
  return value === 'true' || value === '1';
}

/**
 * Outside CI: prints ONE line saying why `suite` is skipped and returns false.
 * Under CI: throws, so the test file fails instead of silently running nothing.
 */
function unavailable(suite: string, reason: string): false {
  const line = `skipped: ${reason} [${suite}]`;
  if (isCi()) throw new Error(`CI=true and ${reason} [${suite}]: required under CI`);
  console.log(line);
  return false;
}

/**
 * Whether `../shared` (the PocketBase conformance material) is there. Call it at the top of a test
 * file and use `describe.skipIf(!available)`: elsewhere a missing folder skips with one line, under
 * CI it fails.
 */
export function requireShared(suite: string): boolean {
  if (existsSync(conformanceDir())) return true;
  return unavailable(suite, `../shared not found (PocketBase conformance material, looked in ${conformanceDir()})`);
}

/** The external services test suites may need. */
export type ServiceName = 'postgres' | 'mysql' | 'redis';

const SERVICE_ENV: Record<ServiceName, { env: string; fallback: string }> = {
  postgres: { env: 'PLINTH_TEST_POSTGRES_URL', fallback: 'postgres://postgres@127.0.0.1:5432/test' },
  mysql: { env: 'PLINTH_TEST_MYSQL_URL', fallback: 'mysql://root@127.0.0.1:3306/test' },
  redis: { env: 'PLINTH_TEST_REDIS_URL', fallback: 'redis://127.0.0.1:6379' },
};

const DEFAULT_PORTS: Record<ServiceName, number> = { postgres: 5432, mysql: 3306, redis: 6379 };

/** The URL of a test service: `PLINTH_TEST_<NAME>_URL` or the loopback default. */
export function serviceUrl(name: ServiceName): string {
  const { env, fallback } = SERVICE_ENV[name];
  return process.env[env] || fallback;
}

/** Resolves true when a TCP connection to host:port opens within `timeoutMs`. */
export function canConnect(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Probes a service with a TCP connect. Returns its URL when it answers. Otherwise prints one
 * "skipped: …" line and returns null, or throws under CI. Use with top-level await:
 * `const url = await requireService('redis'); describe.skipIf(!url)(…)`.
 */
export async function requireService(name: ServiceName, suite: string = name): Promise<string | null> {
  const url = serviceUrl(name);
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1';
  const port = parsed.port ? Number(parsed.port) : DEFAULT_PORTS[name];
  if (await canConnect(host, port)) return url;
  unavailable(suite, `${name} not reachable at ${host}:${port} (set ${SERVICE_ENV[name].env})`);
  return null;
}
