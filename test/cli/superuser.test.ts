/**
 * `plinth superuser create|update|upsert|delete`, run in-process through `main()`, then checked
 * by signing in over HTTP on the same data dir.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/cli/start-server.js';
import { copyFixture, makeTempDir, removeDir } from '../helpers/fixture-copy.js';
import { runMain } from './run-main.js';

async function signIn(dir: string, email: string, password: string): Promise<number> {
  const server = await startServer({ dataDir: dir, http: '127.0.0.1:0' });
  try {
    const res = await fetch(`${server.url}/api/collections/_superusers/auth-with-password`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identity: email, password }),
    });
    return res.status;
  } finally {
    await server.close();
  }
}

describe('plinth superuser', () => {
  let dir: string;
  let fixtureDir: string;
  beforeAll(() => {
    dir = makeTempDir();
    fixtureDir = copyFixture();
  });
  afterAll(() => {
    removeDir(dir);
    removeDir(fixtureDir);
  });

  it('prints help', async () => {
    const { code, stdout } = await runMain(['superuser', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('upsert EMAIL PASSWORD');
  });

  it.each([
    [['superuser'], 2, 'missing action'],
    [['superuser', 'rename', 'a@b.co'], 2, 'unknown action'],
    [['superuser', 'create'], 2, 'missing EMAIL'],
    [['superuser', 'create', 'admin@example.com'], 2, 'missing PASSWORD'],
    [['superuser', 'create', 'not-an-email', '1234567890'], 1, 'invalid email'],
    [['superuser', 'create', 'admin@example.com', 'short'], 1, 'at least 8 characters'],
    [['superuser', 'delete', 'admin@example.com', 'extra'], 2, 'only EMAIL'],
  ])('rejects %j', async (argv, expectedCode, message) => {
    const { code, stderr } = await runMain([...argv, `--dir=${dir}`]);
    expect(code).toBe(expectedCode);
    expect(stderr).toContain(message);
  });

  it('creates, refuses a duplicate, updates, upserts and deletes on a new data dir', async () => {
    const email = 'admin@example.com';
    expect((await runMain(['superuser', 'create', email, 'first-password', `--dir=${dir}`])).code).toBe(0);
    const duplicate = await runMain(['superuser', 'create', email, 'first-password', `--dir=${dir}`]);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain('already exists');
    expect(await signIn(dir, email, 'first-password')).toBe(200);

    const missing = await runMain(['superuser', 'update', 'other@example.com', 'whatever-pass', `--dir=${dir}`]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("doesn't exist");

    expect((await runMain(['superuser', 'update', email, 'second-password', `--dir=${dir}`])).code).toBe(0);
    expect(await signIn(dir, email, 'first-password')).toBe(400);
    expect(await signIn(dir, email, 'second-password')).toBe(200);

    const upsertNew = await runMain(['superuser', 'upsert', 'other@example.com', 'other-password', `--dir=${dir}`]);
    expect(upsertNew.code).toBe(0);
    expect(upsertNew.stdout).toContain('created');
    const upsertOld = await runMain(['superuser', 'upsert', email, 'third-password', `--dir=${dir}`]);
    expect(upsertOld.stdout).toContain('updated');
    expect(await signIn(dir, email, 'third-password')).toBe(200);

    expect((await runMain(['superuser', 'delete', email, `--dir=${dir}`])).stdout).toContain('Successfully deleted');
    expect(await signIn(dir, email, 'third-password')).toBe(400);
    expect((await runMain(['superuser', 'delete', email, `--dir=${dir}`])).stdout).toContain('missing or already deleted');
  });

  it('updates a PocketBase superuser in place on the fixture', async () => {
    expect((await runMain(['superuser', 'upsert', 'test@example.com', 'brand-new-pass', `--dir=${fixtureDir}`])).code).toBe(0);
    expect(await signIn(fixtureDir, 'test@example.com', 'brand-new-pass')).toBe(200);
    expect(await signIn(fixtureDir, 'test@example.com', '1234567890')).toBe(400);
  });
});
