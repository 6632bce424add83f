/**
 * The CLI: `main()` in-process with console captured, and once through the real built bin.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../helpers/fixture-copy.js';
import { repoRoot } from '../helpers/paths.js';
import { isCi } from '../helpers/requirements.js';
import { runMain } from './run-main.js';

const root = repoRoot();
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

describe('plinth CLI (in-process)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) removeDir(dir);
  });

  it('--version prints the package version', async () => {
    const { code, stdout } = await runMain(['--version']);
    expect(code).toBe(0);
    expect(stdout).toBe(`plinth ${version}`);
  });

  it('--help lists the commands', async () => {
    const { code, stdout } = await runMain(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Usage: plinth <command>/);
    expect(stdout).toMatch(/\bserve\b/);
  });

  it('no arguments prints help and exits non-zero', async () => {
    const { code, stdout } = await runMain([]);
    expect(code).not.toBe(0);
    expect(stdout).toMatch(/Usage: plinth/);
  });

  it('serve --help prints the serve flags', async () => {
    const { code, stdout } = await runMain(['serve', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Usage: plinth serve/);
    expect(stdout).toMatch(/--http/);
    expect(stdout).toMatch(/--dir/);
  });

  it('an unknown command is an error naming it', async () => {
    const { code, stderr } = await runMain(['frobnicate']);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/unknown command "frobnicate"/);
  });

  // Regression: a name inherited from Object.prototype was taken for a command and crashed.
  it.each(['toString', 'constructor'])('%s is an unknown command too', async (name) => {
    const { code, stderr } = await runMain([name]);
    expect(code).toBe(2);
    expect(stderr).toMatch(new RegExp(`unknown command "${name}"`));
  });

  it('an unknown flag is an error naming it', async () => {
    const { code, stderr } = await runMain(['serve', '--nope']);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/--nope/);
    expect(stderr).toMatch(/plinth serve --help/);
  });

  it('serve --http=bad is a clear error and starts nothing', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const { code, stderr } = await runMain(['serve', '--http=bad', `--dir=${join(dir, 'pb_data')}`]);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/invalid address "bad"/);
    expect(existsSync(join(dir, 'pb_data'))).toBe(false);
  });

  it('superuser upsert creates an account in a new data dir', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const args = ['superuser', 'upsert', 'admin@example.com', 'a-long-password', `--dir=${dir}`];
    const first = await runMain(args);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/admin@example\.com/);
    expect((await runMain(args)).code).toBe(0);
  });

  it('superuser without an action is a usage error', async () => {
    const { code, stderr } = await runMain(['superuser']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/missing action/);
  });
});

const built = existsSync(join(root, 'dist', 'cli', 'main.js'));
if (!built) {
  if (isCi()) throw new Error('CI=true and dist/ is missing: `npm run build` must run before the tests');
  console.log('skipped: dist/ not built, run `npm run build` first (plinth CLI, built bin)');
}

describe.skipIf(!built)('plinth CLI (built bin)', () => {
  const bin = join(root, 'bin', 'plinth.js');
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 15_000 });

  it('node bin/plinth.js --version', () => {
    const result = run('--version');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(`plinth ${version}`);
  });

  it('node bin/plinth.js serve answers /api/health and stops on SIGTERM', async () => {
    const dir = makeTempDir();
    const child = spawn(process.execPath, [bin, 'serve', '--http=127.0.0.1:0', `--dir=${dir}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no URL printed within 15 s: ${out}`)), 15_000);
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
          if (match) {
            clearTimeout(timer);
            resolve(match[0]);
          }
        });
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
      });
      const response = await fetch(`${url}/api/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ code: 200, message: 'API is healthy.', data: {} });
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      removeDir(dir);
    }
  });

  it('node bin/plinth.js serve --nope exits non-zero with a message', () => {
    const result = run('serve', '--nope');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/--nope/);
  });
});
