import { describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { DbUnavailableError, openDb, openDbWithRetry } from '../../../src/store/open-db.js';
import { MysqlDb } from '../../../src/store/mysql/mysql-db.js';
import { PostgresDb } from '../../../src/store/postgres/postgres-db.js';
import { SqliteDb } from '../../../src/store/sqlite/sqlite-db.js';
import { toPositional } from '../../../src/store/postgres/postgres-placeholders.js';
import { splitStatements } from '../../../src/store/mysql/mysql-statements.js';
import { requireService } from '../../helpers/requirements.js';

const pgUrl = await requireService('postgres', 'openDb (postgres)');
const myUrl = await requireService('mysql', 'openDb (mysql)');

describe('openDb', () => {
  it('opens SQLite for { sqliteFile }', async () => {
    const db = await openDb({ sqliteFile: ':memory:' });
    expect(db).toBeInstanceOf(SqliteDb);
    await db.close();
  });

  it('rejects unknown schemes without echoing the password', async () => {
    await expect(openDb('redis://u:secret@h/0')).rejects.toThrow(/Unsupported database URL "redis:\/\/u:\*\*\*@h\/0"/);
  });

  it('fails with one clear line when PostgreSQL is unreachable', async () => {
    const err = await openDb('postgres://postgres@127.0.0.1:1/test').catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'DbUnavailableError', code: 'db_unavailable' });
    expect((err as Error).message).toBe('PostgreSQL at 127.0.0.1:1/test is not usable: connection refused');
  });

  it('fails with one clear line when MySQL is unreachable', async () => {
    const err = await openDb('mariadb://root@127.0.0.1:1/test').catch((e: unknown) => e);
    expect((err as Error).message).toBe('MySQL at 127.0.0.1:1/test is not usable: connection refused');
  });

  it.skipIf(!pgUrl)('picks PostgresDb for postgres:// and postgresql://, and names a missing database', async () => {
    const url = new URL(pgUrl ?? '');
    for (const scheme of ['postgres:', 'postgresql:']) {
      url.protocol = scheme;
      const db = await openDb(url.toString());
      expect(db).toBeInstanceOf(PostgresDb);
      await db.close();
    }
    url.pathname = '/plinth_no_such_db';
    await expect(openDb(url.toString())).rejects.toThrow(/is not usable: database does not exist/);
  });

  it.skipIf(!myUrl)('picks MysqlDb for mysql:// and mariadb://, and reports bad credentials', async () => {
    const url = new URL(myUrl ?? '');
    for (const scheme of ['mysql:', 'mariadb:']) {
      url.protocol = scheme;
      const db = await openDb(url.toString());
      expect(db).toBeInstanceOf(MysqlDb);
      await db.close();
    }
    url.username = 'plinth_no_such_user';
    url.password = 'wrong';
    await expect(openDb(url.toString())).rejects.toThrow(/is not usable: access denied/);
  });
});

describe('openDbWithRetry', () => {
  it('retries a refused connection with backoff, then fails with one line', async () => {
    const closed = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => closed.once('listening', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    const delays: number[] = [];
    const started = Date.now();
    const err = await openDbWithRetry(`postgres://u@127.0.0.1:${port}/db`, { timeoutMs: 700, initialDelayMs: 100, onRetry: (_e, d) => delays.push(d) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DbUnavailableError);
    expect((err as Error).message).toBe(`PostgreSQL at 127.0.0.1:${port}/db is not usable: connection refused`);
    expect(delays.slice(0, 3)).toEqual([100, 200, 400].slice(0, delays.length));
    expect(delays.length).toBeGreaterThanOrEqual(2);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it.skipIf(!myUrl)('does not retry bad credentials', async () => {
    const url = new URL(myUrl ?? '');
    url.username = 'plinth_no_such_user';
    url.password = 'wrong';
    let retries = 0;
    await expect(openDbWithRetry(url.toString(), { onRetry: () => retries++ })).rejects.toThrow(/access denied/);
    expect(retries).toBe(0);
  });
});

describe('SQL text helpers', () => {
  it('rewrites ? to $n outside quotes, identifiers, dollar quotes and comments', () => {
    expect(toPositional(`SELECT '?', "a?", $$?$$, $t$ ? $t$, E'\\'?' -- ?\n, ? /* ? */ FROM x WHERE a = ? AND b = ?`))
      .toBe(`SELECT '?', "a?", $$?$$, $t$ ? $t$, E'\\'?' -- ?\n, $1 /* ? */ FROM x WHERE a = $2 AND b = $3`);
    expect(toPositional("SELECT 'it''s ?', ?")).toBe("SELECT 'it''s ?', $1");
  });

  it('splits MySQL scripts at top-level semicolons only', () => {
    expect(splitStatements("INSERT INTO t VALUES ('a;b'); -- c;\nSELECT `x;y` FROM t /* ; */; ;SELECT \"q;\""))
      .toEqual(["INSERT INTO t VALUES ('a;b')", '-- c;\nSELECT `x;y` FROM t /* ; */', 'SELECT "q;"']);
  });
});
