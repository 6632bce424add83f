/**
 * Regression: start-up loaded every optional module eagerly (pg, mysql2, sharp, nodemailer, the
 * AWS SDK…), even for SQLite: start → healthy went from ~0.2 s to ~1 s and idle RSS from 76 MB
 * to 108–132 MB (docs/performance.md). A server on SQLite is started in a child process with a
 * module resolve hook, answers /api/health, and the packages it resolved are checked.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../helpers/fixture-copy.js';
import { repoRoot } from '../helpers/paths.js';

/** Packages a default SQLite server must not load before its first request that needs them. */
const NOT_AT_START = ['pg', 'mysql2', 'sharp', 'nodemailer', '@aws-sdk/client-s3', 'oauth4webapi', 'yauzl', 'yazl', 'file-type', '@fastify/ajv-compiler', '@fastify/fast-json-stringify-compiler', 'bcrypt', 'ioredis', 'graphql', 'graphql-ws', 'graphql-jit', 'ruru', 'undici'];

/** ESM resolve hook for the child: appends the package of every resolved URL to PLINTH_MODULE_LOG. */
const HOOKS = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  const m = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(result.url);
  if (m) appendFileSync(process.env.PLINTH_MODULE_LOG, m[1] + '\\n');
  return result;
}
`;

const CHILD = `
import { register, createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
register('data:text/javascript,' + encodeURIComponent(process.env.PLINTH_HOOKS));
const Module = createRequire(import.meta.url)('node:module');
const load = Module._load;
Module._load = function (request, parent, isMain) {
  try {
    const m = /node_modules[\\\\/]((?:@[^\\\\/]+[\\\\/])?[^\\\\/]+)[\\\\/]/.exec(Module._resolveFilename(request, parent, isMain));
    if (m) appendFileSync(process.env.PLINTH_MODULE_LOG, m[1].replace('\\\\', '/') + '\\n');
  } catch {}
  return load.apply(this, arguments);
};
const { startServer } = await import(process.env.PLINTH_START_SERVER);
const server = await startServer({ dataDir: process.env.PLINTH_DIR, db: '', http: '127.0.0.1:0' });
const response = await fetch(server.url + '/api/health');
await server.close();
process.stdout.write('health ' + response.status + '\\n');
`;

describe('start-up on SQLite (regression: optional modules imported eagerly)', () => {
  it('answers /api/health without loading pg, mysql2, sharp, nodemailer, the AWS SDK, OAuth2 or zip code', () => {
    const dir = makeTempDir();
    const log = join(dir, 'modules.log');
    const child = join(dir, 'start-child.mjs');
    writeFileSync(child, CHILD);
    try {
      const result = spawnSync(process.execPath, ['--import', 'tsx', child], {
        cwd: repoRoot(),
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          ...process.env,
          PLINTH_DATABASE_URL: '',
          PLINTH_HOOKS: HOOKS,
          PLINTH_MODULE_LOG: log,
          PLINTH_DIR: join(dir, 'pb_data'),
          PLINTH_START_SERVER: new URL('../../src/cli/start-server.ts', import.meta.url).href,
        },
      });
      expect(result.stderr).not.toMatch(/Error/);
      expect(result.stdout).toContain('health 200');
      const loaded = new Set(existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []);
      expect(loaded.has('fastify') && loaded.has('better-sqlite3')).toBe(true); // the hooks did see the app's packages
      expect(NOT_AT_START.filter((name) => loaded.has(name))).toEqual([]);
    } finally {
      removeDir(dir);
    }
  }, 90_000);
});
