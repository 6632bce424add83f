import { MysqlDb } from '../../src/store/mysql/mysql-db.js';
import { PostgresDb } from '../../src/store/postgres/postgres-db.js';
import { canConnect, serviceUrl } from './requirements.js';

/** Mirrors TEST_DB_PREFIX of test-databases.ts (not imported: that module needs a vitest worker). */
const PREFIX = 'plinth_t_';

async function reachable(url: string, port: number): Promise<boolean> {
  const u = new URL(url);
  return canConnect(u.hostname || '127.0.0.1', u.port ? Number(u.port) : port);
}

/** Drops every PG schema / MySQL database named `plinth_t_<runId>_…` (the run's leftovers). */
export async function dropRunDatabases(runId: string): Promise<void> {
  const like = `${PREFIX}${runId}_%`;
  const pgUrl = serviceUrl('postgres');
  if (await reachable(pgUrl, 5432)) {
    const pg = new PostgresDb({ connectionString: pgUrl, max: 1 });
    try {
      const rows = await pg.all<{ name: string }>('SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE ?', [like]);
      for (const { name } of rows) await pg.exec(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    } catch {
      // best effort
    } finally {
      await pg.close();
    }
  }
  const myUrl = serviceUrl('mysql');
  if (await reachable(myUrl, 3306)) {
    const my = new MysqlDb({ url: myUrl, connectionLimit: 1 });
    try {
      const rows = await my.all<{ name: string }>('SELECT schema_name AS name FROM information_schema.schemata WHERE schema_name LIKE ?', [like]);
      for (const { name } of rows) await my.exec(`DROP DATABASE IF EXISTS \`${name}\``);
    } catch {
      // best effort
    } finally {
      await my.close();
    }
  }
}
