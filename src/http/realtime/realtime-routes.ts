import websocket from '@fastify/websocket';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { PlinthApp } from '../../core/app.js';
import { graphqlRoutes, type GraphqlHttpOptions } from '../graphql/graphql-routes.js';
import { SseTransport, type SseOptions } from './sse-transport.js';
import { WS_MAX_PAYLOAD, WebSocketTransport, type WebSocketOptions } from './websocket-transport.js';

export interface RealtimeHttpOptions {
  sse?: SseOptions;
  websocket?: WebSocketOptions;
}

/**
 * `/api/realtime`: a plain GET opens PocketBase's SSE stream, a WebSocket upgrade of the same URL
 * opens Plinth's WebSocket transport; POST sets SSE subscriptions. `server` must have
 * `@fastify/websocket` (see {@link socketRoutes}).
 */
export function realtimeRoutes(server: FastifyInstance, app: PlinthApp, options: RealtimeHttpOptions = {}): void {
  const sse = new SseTransport(app, options.sse);
  dropSilentSocketsOnClose(server);
  const ws = new WebSocketTransport(app, options.websocket);
  server.addHook('preClose', async () => ws.closeAll());
  sse.register(server);
  server.route({ method: 'GET', url: '/api/realtime', handler: sse.connect, wsHandler: ws.handle });
}

/** Options of the routes that take WebSocket upgrades. */
export interface SocketRoutesOptions extends RealtimeHttpOptions {
  graphql?: GraphqlHttpOptions;
}

/**
 * The routes that take WebSocket upgrades, `/api/realtime` and `/api/graphql`, in one plugin scope
 * of their own (one `@fastify/websocket` per server, its hooks on no other route).
 */
export async function socketRoutes(server: FastifyInstance, app: PlinthApp, options: SocketRoutesOptions = {}): Promise<void> {
  await server.register(async (scope) => {
    await scope.register(websocket, { options: { maxPayload: WS_MAX_PAYLOAD } });
    realtimeRoutes(scope, app, options);
    graphqlRoutes(scope, app, options.graphql);
  });
}

/**
 * Closing an HTTP server waits for every connection that has begun a request, and Node counts a
 * connection that never sent a byte as one (Node 20): a realtime client that opened a socket and
 * then cancelled its request (the SDK does when it unsubscribes) would hold `close()` forever.
 * On shutdown such sockets carry nothing, so they are destroyed.
 */
function dropSilentSocketsOnClose(server: FastifyInstance): void {
  const sockets = new Set<Socket>();
  server.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.addHook('preClose', async () => {
    for (const socket of sockets) if (socket.bytesRead === 0) socket.destroy();
  });
}
