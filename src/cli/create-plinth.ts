import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyPluginCallback, HTTPMethods } from 'fastify';
import type { PlinthApp } from '../core/app.js';
import { createHttpServer, type HttpOptions } from '../http/server.js';
import { createApp, type AppOptions } from './create-app.js';
import { defaultHooksDir } from './hooks-wiring.js';

/** Options of {@link createPlinth}: those of `plinth serve` but the address. */
export interface PlinthOptions extends AppOptions, HttpOptions {}

/** A Plinth app that serves through another server's listener. */
export interface EmbeddedPlinth {
  readonly app: PlinthApp;
  /** A Node request handler; `req.url` must already be relative to the mount point (`/api/…`). */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /**
   * A Fastify plugin: `host.register(plinth.fastify, { prefix: '/pb' })`. It takes every method
   * under the prefix and leaves the body unread for Plinth to parse.
   */
  readonly fastify: FastifyPluginCallback;
  /** An Express (or connect) handler: `host.use('/pb', plinth.express)`, before any body parser. */
  express(req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void): void;
  /**
   * Stops the app and ends its open responses (realtime streams); close it before the host,
   * whose own close would otherwise wait for those streams.
   */
  close(): Promise<void>;
}

const METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * Creates the app and its HTTP transport without a listener of its own, for mounting into an
 * existing Fastify or Express server under a prefix (docs/embedding.md). Hooks load from
 * `<dataDir>/../plinth_hooks` unless `hooksDir` says otherwise.
 */
export async function createPlinth(options: PlinthOptions): Promise<EmbeddedPlinth> {
  const app = await createApp({ hooksDir: defaultHooksDir(options.dataDir), ...options });
  // swapping the data dir needs a restart only `plinth serve` can do: leave the data as it is
  app.ops.backups.restoreHandler = async (_swap, backup) => {
    throw new Error(`restore of ${backup} refused: an embedded Plinth cannot restart itself; stop it and run plinth backup restore`);
  };
  let http: Awaited<ReturnType<typeof createHttpServer>>;
  try {
    http = await createHttpServer(app, options);
    await http.ready();
  } catch (err) {
    await app.close();
    throw err;
  }
  // the responses still open (realtime streams): `close()` ends them, as a listener of our own would
  const open = new Set<ServerResponse>();
  let closed = false;
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    if (closed) {
      res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 503, message: 'Plinth has stopped.', data: {} }));
      return;
    }
    open.add(res);
    res.once('close', () => open.delete(res));
    http.routing(req, res);
  };
  const fastify: FastifyPluginCallback = (scope, _options, done) => {
    const prefix = scope.prefix;
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, parsed) => parsed(null));
    const forward = (request: { raw: IncomingMessage }, reply: { hijack(): void; raw: ServerResponse }) => {
      reply.hijack();
      const url = request.raw.url ?? '/';
      request.raw.url = url.startsWith(prefix) ? url.slice(prefix.length) || '/' : url;
      if (!request.raw.url.startsWith('/')) request.raw.url = `/${request.raw.url}`;
      handle(request.raw, reply.raw);
    };
    scope.route({ method: METHODS, url: '/', handler: forward });
    scope.route({ method: METHODS, url: '/*', handler: forward });
    done();
  };
  return {
    app,
    handle,
    fastify,
    express: (req, res) => handle(req, res),
    close: async () => {
      closed = true;
      await http.close();
      await app.close();
      for (const res of open) res.destroy();
    },
  };
}
