import type { PlinthApp } from '../../src/core/app.js';
import { startServer, type RunningServer, type ServerOptions } from '../../src/cli/start-server.js';
import { copyFixture, makeTempDir, removeDir, removeDirLater } from './fixture-copy.js';

/** Options for {@link startTestServer}: any server option but the data dir and address. */
export interface TestServerOptions extends Omit<ServerOptions, 'dataDir' | 'http'> {
  /** Start on a fresh copy of the PocketBase fixture (default false: an empty data dir). */
  fixture?: boolean;
  /**
   * `close()` resolves once the server has stopped and removes the data dir in the background;
   * the suite must then `await flushRemovals()` (from fixture-copy.ts) in `afterAll`.
   */
  removeInBackground?: boolean;
}

/** A real server on a loopback port over a temp data dir. */
export interface TestServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  app: PlinthApp;
  dataDir: string;
  /** Stops the server and removes its data dir. */
  close(): Promise<void>;
}

/**
 * Starts a real Plinth server on `127.0.0.1:0` over a fresh temp folder: a copy of the PocketBase
 * fixture with `fixture: true`, empty otherwise. Always `close()` it (e.g. in `afterAll`).
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const { fixture = false, removeInBackground = false, ...serverOptions } = options;
  const dataDir = fixture ? copyFixture() : makeTempDir();
  let running: RunningServer;
  try {
    running = await startServer({ ...serverOptions, dataDir, http: '127.0.0.1:0' });
  } catch (err) {
    removeDir(dataDir);
    throw err;
  }
  return {
    url: running.url,
    app: running.app,
    dataDir,
    close: async () => {
      try {
        await running.close();
      } finally {
        if (removeInBackground) removeDirLater(dataDir);
        else removeDir(dataDir);
      }
    },
  };
}
