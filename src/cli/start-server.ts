import type { FastifyInstance } from 'fastify';
import type { PlinthApp } from '../core/app.js';
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
  const app = await createApp(options);
  const http = await createHttpServer(app, options);
  try {
    await http.listen({ host, port });
  } catch (err) {
    await app.close();
    throw err;
  }
  const address = http.server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    app,
    http,
    url: `http://${urlHost}:${boundPort}`,
    close: async () => {
      await http.close();
      await app.close();
    },
  };
}
