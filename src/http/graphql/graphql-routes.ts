import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebsocketHandler } from '@fastify/websocket';
import type { PlinthApp } from '../../core/app.js';

export const GRAPHQL_PATH = '/api/graphql';

/** Operations (subscriptions mostly) one WebSocket may have running at once. */
export const MAX_SOCKET_OPERATIONS = 100;

/** Tuning of the GraphQL transport. */
export interface GraphqlHttpOptions {
  /** graphql-ws keep-alive ping interval (default 12 s). */
  keepAliveMs?: number;
}

type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/** What graphql-handlers.ts builds: one handler per route. */
export interface GraphqlHandlers {
  get: Handler;
  post: Handler;
  ws: WebsocketHandler;
  explorerAsset: Handler;
}

/**
 * `/api/graphql`: POST (one operation, or a JSON array of up to `graphql.maxBatch`), GET with
 * `?query=` (queries only), the Ruru explorer for a browser, and subscriptions over `graphql-ws`
 * on a WebSocket upgrade of the same URL. Register in the scope that has `@fastify/websocket`.
 *
 * The routes are registered at start, but graphql-js, graphql-jit, graphql-ws and Ruru load with
 * the first GraphQL request: a server that never serves GraphQL does not pay ~11 MB of memory
 * and ~200 ms of start-up for them.
 */
export function graphqlRoutes(scope: FastifyInstance, app: PlinthApp, options: GraphqlHttpOptions = {}): void {
  let loaded: Promise<GraphqlHandlers> | null = null;
  let handlers: GraphqlHandlers | null = null;
  const load = () => (loaded ??= import('./graphql-handlers.js').then((m) => (handlers = m.createGraphqlHandlers(scope, app, options))));
  const lazy = (pick: (h: GraphqlHandlers) => Handler): Handler => async (request, reply) => pick(handlers ?? (await load()))(request, reply);
  scope.route({
    method: 'GET',
    url: GRAPHQL_PATH,
    handler: lazy((h) => h.get),
    wsHandler: (socket, request) => {
      if (handlers) return handlers.ws.call(scope, socket, request);
      // no message may be read before graphql-ws listens: hold the socket while it loads
      socket.pause();
      load().then((h) => {
        h.ws.call(scope, socket, request);
        socket.resume();
      }, () => socket.close(1011, 'GraphQL is unavailable'));
    },
  });
  scope.post(GRAPHQL_PATH, lazy((h) => h.post));
  scope.get(`${GRAPHQL_PATH}/explorer/*`, lazy((h) => h.explorerAsset));
}
