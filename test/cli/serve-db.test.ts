import { createServer } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/cli/create-app.js';
import { main } from '../../src/cli/main.js';
import { makeTempDir, removeDir } from '../helpers/fixture-copy.js';
import { requireService } from '../helpers/requirements.js';
import { closeTestDatabaseAdmins, createEmptyDatabase } from '../helpers/test-databases.js';

async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('serve --db', () => {
  const dirs: string[] = [];
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
    for (const d of dirs.splice(0)) removeDir(d);
  });

  it('retries an unreachable database while starting, then fails with one clear line', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const port = await closedPort();
    const lines: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => void lines.push(line));
    await expect(createApp({ dataDir: dir, db: `postgres://plinth:secret@127.0.0.1:${port}/app`, dbRetry: { timeoutMs: 500, initialDelayMs: 100 } }))
      .rejects.toThrow(`PostgreSQL at 127.0.0.1:${port}/app is not usable: connection refused`);
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines[0]).toMatch(/connection refused; retrying in 0\.1 s$/);
    expect(lines.join('\n')).not.toContain('secret');
  });

  it('reads PLINTH_DATABASE_URL and refuses an unknown scheme without a stack trace', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    vi.stubEnv('PLINTH_DATABASE_URL', 'oracle://scott:tiger@db/x');
    const lines: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => void lines.push(line));
    expect(await main(['serve', `--dir=${dir}`, '--http=127.0.0.1:0'])).toBe(1);
    expect(lines).toEqual(['plinth serve: Unsupported database URL "oracle://scott:***@db/x": use postgres://, postgresql://, mysql://, mariadb:// or an SQLite file.']);
  });
});

describe('superuser --db', () => {
  afterEach(() => vi.restoreAllMocks());

  // Regression: `plinth superuser` had no --db, so a PostgreSQL/MySQL install could not get its
  // first superuser.
  it.each(['postgres', 'mysql'] as const)('creates a superuser who can sign in on %s', async (dialect) => {
    if (!(await requireService(dialect, `superuser --db (${dialect})`))) return;
    const database = await createEmptyDatabase(dialect);
    const dir = makeTempDir();
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(await main(['superuser', 'upsert', 'root@example.com', 'a-long-password', `--dir=${dir}`, `--db=${database.url}`])).toBe(0);
      const app = await createApp({ dataDir: dir, db: database.url });
      try {
        const superusers = app.schema.find('_superusers');
        const found = superusers && (await app.records.findFirstByField(superusers, 'email', 'root@example.com'));
        expect(found?.['email']).toBe('root@example.com');
      } finally {
        await app.close();
      }
    } finally {
      removeDir(dir);
      await database.drop();
      await closeTestDatabaseAdmins();
    }
  });
});
