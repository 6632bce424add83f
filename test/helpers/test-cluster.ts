import { randomBytes } from 'node:crypto';
import { startServer, type RunningServer, type ServerOptions } from '../../src/cli/start-server.js';
import { copyFixture, makeTempDir, removeDirLater } from './fixture-copy.js';
import { freePort } from './free-port.js';
import { serviceUrl } from './requirements.js';
import { startBalancer } from './round-robin-balancer.js';

/**
 * `PLINTH_TEST_CLUSTER=N` (N ≥ 2) makes every test server on PostgreSQL or MySQL a cluster: N
 * nodes on the test's database and the test Redis (keys under a prefix of their own), behind a
 * round-robin balancer whose URL the test gets. bench/cluster/api-suites.sh runs the API and
 * conformance suites that way; `app` is the first node's.
 */
export function testClusterSize(): number {
  const n = Number(process.env.PLINTH_TEST_CLUSTER ?? 0);
  return Number.isInteger(n) && n >= 2 ? n : 0;
}

/** Starts the nodes (the first on `dataDir`, the others on copies of the same start) and the balancer. */
export async function startTestCluster(size: number, options: ServerOptions & { fixture: boolean }): Promise<RunningServer> {
  const redis = { url: serviceUrl('redis'), prefix: `test-${randomBytes(6).toString('hex')}:` };
  const nodes: RunningServer[] = [];
  const extraDirs: string[] = [];
  try {
    for (let i = 0; i < size; i++) {
      const dataDir = i === 0 ? options.dataDir : options.fixture ? copyFixture() : makeTempDir();
      if (i > 0) extraDirs.push(dataDir);
      nodes.push(await startServer({ ...options, dataDir, redis, http: '127.0.0.1:0' }));
    }
  } catch (err) {
    for (const node of nodes) await node.close();
    throw err;
  }
  const balancer = await startBalancer(() => nodes.map((n) => n.url), await freePort());
  const first = nodes[0] as RunningServer;
  return {
    get app() {
      return first.app;
    },
    get http() {
      return first.http;
    },
    url: balancer.url,
    close: async () => {
      await balancer.close();
      for (const node of nodes) await node.close();
      for (const dir of extraDirs) removeDirLater(dir);
    },
  };
}
