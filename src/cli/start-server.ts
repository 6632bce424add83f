import type { FastifyInstance } from 'fastify';
import type { PlinthApp } from '../core/app.js';
import type { RestoreReport } from '../core/backups/backup-ports.js';
import { createHttpServer, type HttpOptions } from '../http/server.js';
import { createApp, type AppOptions } from './create-app.js';

export interface ServerOptions extends AppOptions, HttpOptions {
  /** `host:port`; port 0 picks a free one. Default `127.0.0.1:8090`. */
  http?: string;
}

export interface RunningServer {
  app: PlinthApp;
  http: FastifyInstance;
  /** Base URL, e.g. `http://127.0.0.1:8090`. */
  url: string;
  close(): Promise<void>;
}

/** Splits `host:port` (also `[::1]:port` and `:port`). */
export function parseAddress(address: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(address);
  const port = Number(match?.[3]);
  if (!match || !Number.isInteger(port) || port > 65535) {
    throw new Error(`invalid address "${address}": expected host:port, e.g. 127.0.0.1:8090`);
  }
  return { host: match[1] ?? (match[2] || '127.0.0.1'), port };
}

/** Creates the app and serves it over HTTP. Used by `plinth serve` and by the tests. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { host, port } = parseAddress(options.http ?? '127.0.0.1:8090');
  let app = await createApp(options);
  let http = await createHttpServer(app, options);
  try {
    await http.listen({ host, port });
  } catch (err) {
    await app.close();
    throw err;
  }
  const address = http.server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  // a restore stops the app, swaps the restored data in and starts again on the same address
  const onRestore = (target: PlinthApp) => {
    target.ops.backups.restoreHandler = async (swap, backup) => {
      await new Promise((resolve) => setImmediate(resolve));
      await http.close();
      await app.close();
      let report: RestoreReport | null = null;
      let failure: unknown;
      try {
        report = await swap();
        console.log(`restore: ${backup} restored (${report.restored.join(', ')}); the replaced data is in ${report.previousDataDir}`);
      } catch (err) {
        failure = err; // swap() rolled back: start again on the untouched data
        console.error(`restore: ${backup} failed, the data was left as it was:`, err);
      }
      app = await createApp(options);
      http = await createHttpServer(app, options);
      await http.listen({ host, port: boundPort });
      onRestore(app);
      if (!report) throw failure;
      return report;
    };
  };
  onRestore(app);
  return {
    get app() {
      return app;
    },
    get http() {
      return http;
    },
    url: `http://${urlHost}:${boundPort}`,
    close: async () => {
      await http.close();
      await app.close();
    },
  };
}
