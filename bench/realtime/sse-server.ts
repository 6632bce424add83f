// The server side of the SSE fan-out benchmark: a Plinth server in its own process (forked by
// sse-fanout.ts with --expose-gc), with one public collection. IPC messages: `mem` answers the
// process memory after a GC; `stop` closes the server and removes its data dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../../src/cli/start-server.js';

const dataDir = mkdtempSync(join(tmpdir(), 'plinth-bench-rt-'));
const server = await startServer({ dataDir, http: '127.0.0.1:0' });
const superusers = server.app.schema.find('_superusers');
if (!superusers) throw new Error('no _superusers collection');
await server.app.collections.create({ auth: { collection: superusers, record: { id: 'bench' } } }, {
  name: 'bench_items', type: 'base', listRule: '', viewRule: '', createRule: '',
  fields: [{ name: 'title', type: 'text' }],
});

const gc = (globalThis as { gc?: () => void }).gc;

process.on('message', (message: { type: string }) => {
  if (message.type === 'mem') {
    gc?.();
    gc?.();
    const m = process.memoryUsage();
    process.send?.({ type: 'mem', rss: m.rss, heapUsed: m.heapUsed, external: m.external, clients: server.app.realtime.clientCount });
  } else if (message.type === 'stop') {
    void server.close().then(() => {
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    });
  }
});
process.send?.({ type: 'ready', url: server.url });
