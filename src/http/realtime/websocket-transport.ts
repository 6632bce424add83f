import type { FastifyRequest } from 'fastify';
import WebSocket from 'ws';
import type { PlinthApp } from '../../core/app.js';
import { PlinthError, errors } from '../../core/errors/plinth-error.js';
import type { RealtimeSink } from '../../core/realtime/realtime-client.js';
import { validateSubscribeForm } from '../../core/realtime/realtime-subscriptions.js';
import type { AuthState } from '../../core/request-info.js';
import { errorEnvelope } from '../error-status.js';
import { clientIp } from '../request-info.js';

/** Tuning of the WebSocket transport. */
export interface WebSocketOptions {
  /** Interval of protocol pings; a socket that missed the previous pong is dropped (default 30 s). */
  heartbeatMs?: number;
  /** Bytes a socket may have queued before it is dropped as a slow consumer (default 1 MiB). */
  maxBufferedBytes?: number;
}

/** Largest accepted client message (1000 subscriptions of 2500 chars fit). */
export const WS_MAX_PAYLOAD = 4 << 20;

const DEFAULT_HEARTBEAT = 30_000;
const DEFAULT_MAX_BUFFERED = 1 << 20;

interface SocketState {
  alive: boolean;
}

type ClientMessage = { type?: unknown; id?: unknown; token?: unknown; subscriptions?: unknown };

function reply(socket: WebSocket, message: Record<string, unknown>): void {
  if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

function errorMessage(error: unknown, id: unknown): Record<string, unknown> {
  const e = error instanceof PlinthError ? error : errors.badRequest();
  return { type: 'error', ...(id === undefined ? {} : { id }), ...errorEnvelope(e) };
}

/**
 * Realtime over one WebSocket (a Plinth extension, see docs/realtime.md): the same broker,
 * subscriptions, events and per-subscriber checks as SSE. JSON text messages: the client sends
 * `auth`, `subscribe` and `ping`; the server sends `connect`, `event`, `ack`, `pong` and `error`.
 */
export class WebSocketTransport {
  readonly #sockets = new Map<WebSocket, SocketState>();
  readonly #maxBuffered: number;
  readonly #heartbeat: ReturnType<typeof setInterval>;

  constructor(private readonly app: PlinthApp, options: WebSocketOptions = {}) {
    this.#maxBuffered = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED;
    this.#heartbeat = setInterval(() => this.#beat(), options.heartbeatMs ?? DEFAULT_HEARTBEAT);
    this.#heartbeat.unref();
  }

  get openCount(): number {
    return this.#sockets.size;
  }

  /** Stops the heartbeat and closes every socket (server shutdown). */
  closeAll(): void {
    clearInterval(this.#heartbeat);
    for (const socket of [...this.#sockets.keys()]) socket.close(1001, 'server shutdown');
  }

  /** The upgrade handler of `GET /api/realtime`. */
  handle = (socket: WebSocket, request: FastifyRequest): void => {
    const state: SocketState = { alive: true };
    this.#sockets.set(socket, state);
    socket.on('pong', () => {
      state.alive = true;
    });
    const maxBuffered = this.#maxBuffered;
    const sink: RealtimeSink = {
      send(name, data, clientId) {
        if (socket.readyState !== WebSocket.OPEN) return;
        socket.send(name === 'PB_CONNECT'
          ? `{"type":"connect","clientId":${JSON.stringify(clientId)}}`
          : `{"type":"event","name":${JSON.stringify(name)},"data":${data}}`);
        if (socket.bufferedAmount > maxBuffered) socket.terminate(); // slow consumer
      },
      close(reason) {
        if (reason === 'slow_consumer') socket.terminate();
        else socket.close(1001, reason);
      },
    };
    const ip = clientIp(request);
    let clientId: string;
    try {
      // heartbeats replace SSE's idle and lifetime limits: a live socket may stay open
      clientId = this.app.realtime.connect(sink, { ip, limits: { idleTimeoutMs: 0, maxLifetimeMs: 0 } }).id;
    } catch {
      socket.close(1001, 'server shutdown');
      return;
    }
    // the Authorization header of the upgrade request counts as the first auth message
    let auth: AuthState | null = request.auth;
    let chain = Promise.resolve();
    socket.on('message', (raw, isBinary) => {
      chain = chain.then(async () => {
        auth = await this.#onMessage(socket, clientId, auth, ip, isBinary ? null : raw.toString());
      });
    });
    socket.on('close', () => {
      this.#sockets.delete(socket);
      this.app.realtime.disconnect(clientId);
    });
  };

  /** Handles one client message; returns the auth to use from now on. */
  async #onMessage(socket: WebSocket, clientId: string, auth: AuthState | null, ip: string, text: string | null): Promise<AuthState | null> {
    let message: ClientMessage;
    try {
      message = JSON.parse(text ?? '') as ClientMessage;
      if (!message || typeof message !== 'object') throw new Error('not an object');
    } catch {
      reply(socket, errorMessage(errors.badRequest('Invalid message: expected a JSON object.'), undefined));
      return auth;
    }
    const id = message.id;
    try {
      switch (message.type) {
        case 'ping':
          reply(socket, { type: 'pong', ...(id === undefined ? {} : { id }) });
          return auth;
        case 'auth': {
          const token = typeof message.token === 'string' ? message.token : '';
          const next = token === '' ? null : await this.app.auth.authenticate(token);
          if (token !== '' && !next) throw errors.unauthorized('The token is invalid or has expired.');
          const client = this.app.realtime.client(clientId);
          // rebinding goes through the same check as a subscription request
          const current = client ? [...client.subscriptions.keys()] : [];
          this.app.realtime.setSubscriptions({ clientId, subscriptions: current }, next, ip);
          reply(socket, { type: 'ack', ...(id === undefined ? {} : { id }), auth: next ? { collectionId: next.collection.id, collectionName: next.collection.name, recordId: next.record.id } : null });
          return next;
        }
        case 'subscribe': {
          const form = validateSubscribeForm({ clientId, subscriptions: message.subscriptions ?? [] });
          this.app.realtime.setSubscriptions(form, auth, ip);
          reply(socket, { type: 'ack', ...(id === undefined ? {} : { id }), subscriptions: form.subscriptions.filter((s) => s !== '') });
          return auth;
        }
        default:
          throw errors.badRequest('Unknown message type.');
      }
    } catch (error) {
      reply(socket, errorMessage(error, id));
      return auth;
    }
  }

  #beat(): void {
    for (const [socket, state] of this.#sockets) {
      if (!state.alive) {
        socket.terminate();
        continue;
      }
      state.alive = false;
      socket.ping();
    }
  }
}
