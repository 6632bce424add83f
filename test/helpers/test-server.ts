import { join } from 'node:path';
import type { PlinthApp } from '../../src/core/app.js';
import type { Db } from '../../src/store/db.js';
import { openDb } from '../../src/store/open-db.js';
import { startServer, type RunningServer, type ServerOptions } from '../../src/cli/start-server.js';
import { copyFixture, makeTempDir, removeDir, removeDirLater } from './fixture-copy.js';
import { startTestCluster, testClusterSize } from './test-cluster.js';
import { createTestDatabase, dropLater, projectDialect, type TestDatabase, type TestDialect } from './test-databases.js';

/** Options for {@link startTestServer}: any server option but the data dir and address. */
export interface TestServerOptions extends Omit<ServerOptions, 'dataDir' | 'http' | 'db'> {
  /**
   * The store (default: the vitest project's, see dialect-projects.ts; else `sqlite`). PostgreSQL and MySQL get a fresh schema/database of their own,
   * with the fixture imported into it when `fixture` is set, dropped by `close()`.
   */
  dialect?: TestDialect;
  /** Start on a fresh copy of the PocketBase fixture (default false: an empty data dir). */
  fixture?: boolean;
  /**
   * `close()` resolves once the server has stopped and removes the data dir (and drops the
   * PG/MySQL database) in the background; the suite must then `await flushRemovals()` (from
   * fixture-copy.ts) and `closeTestDatabaseAdmins()` (test-databases.ts) in `afterAll`.
   */
  removeInBackground?: boolean;
}

/** A real server on a loopback port over a temp data dir. */
export interface TestServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  app: PlinthApp;
  dataDir: string;
  dialect: TestDialect;
  /** The `--db` URL of a PostgreSQL/MySQL server; undefined on SQLite. */
  dbUrl: string | undefined;
  /** Opens a connection of its own to the server's database (close it when done). */
  openDb(): Promise<Db>;
  /** Stops the server and removes its data dir. */
  close(): Promise<void>;
}

/**
 * Starts a real Plinth server on `127.0.0.1:0` over a fresh temp folder: a copy of the PocketBase
 * fixture with `fixture: true`, empty otherwise. Always `close()` it (e.g. in `afterAll`).
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const { fixture = false, removeInBackground = false, dialect = projectDialect(), ...serverOptions } = options;
  const dataDir = fixture ? copyFixture() : makeTempDir();
  let running: RunningServer;
  let database: TestDatabase | undefined;
  try {
    if (dialect !== 'sqlite') database = await createTestDatabase(dialect, fixture ? { fixtureDataDir: dataDir } : {});
    const cluster = dialect === 'sqlite' ? 0 : testClusterSize();
    running = cluster > 0
      ? await startTestCluster(cluster, { ...serverOptions, dataDir, db: database?.url, fixture })
      : await startServer({ ...serverOptions, dataDir, db: database?.url, http: '127.0.0.1:0' });
  } catch (err) {
    await database?.drop();
    removeDir(dataDir);
    throw err;
  }
  return {
    url: running.url,
    // a getter: a backup restore replaces the app (see startServer)
    get app() {
      return running.app;
    },
    dataDir,
    dialect,
    dbUrl: database?.url,
    openDb: () => openDb(database ? database.url : { sqliteFile: join(dataDir, 'data.db') }),
    close: async () => {
      try {
        await running.close();
        if (database && removeInBackground) dropLater(database);
        else await database?.drop();
      } finally {
        if (removeInBackground) removeDirLater(dataDir);
        else removeDir(dataDir);
      }
    },
  };
}
