import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PlinthApp } from '../../core/app.js';
import type { RealtimeSink } from '../../core/realtime/realtime-client.js';
import { validateSubscribeForm } from '../../core/realtime/realtime-subscriptions.js';
import { readRequestBody } from '../request-body.js';
import { clientIp } from '../request-info.js';

/** Tuning of the SSE transport. */
export interface SseOptions {
  /**
   * Bytes a connection may have waiting in its socket buffer before it is dropped as a slow
   * consumer (default 1 MiB): a client that does not read never grows the server's memory.
   */
  maxBufferedBytes?: number;
}

const DEFAULT_MAX_BUFFERED = 1 << 20;

function headerValues(reply: FastifyReply): Record<string, string | string[] | number> {
  const out: Record<string, string | string[] | number> = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) out[name] = value;
  return out;
}

/** One event in SSE framing; multi-line data becomes several `data:` lines. */
function sseFrame(clientId: string, name: string, data: string): string {
  const body = data.includes('\n') ? data.split(/\r?\n/).join('\ndata:') : data;
  return `id:${clientId}\nevent:${name}\ndata:${body}\n\n`;
}

/**
 * PocketBase's realtime over Server-Sent Events: `GET /api/realtime` opens the stream (first
 * event `PB_CONNECT` with the client id; every event carries `id:<clientId>`), and
 * `POST /api/realtime {clientId, subscriptions}` replaces the client's subscriptions (204).
 */
export class SseTransport {
  readonly #open = new Set<ServerResponse>();
  readonly #maxBuffered: number;
  #closing = false;

  constructor(private readonly app: PlinthApp, options: SseOptions = {}) {
    this.#maxBuffered = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED;
  }

  /** Open streams (for tests and metrics). */
  get openCount(): number {
    return this.#open.size;
  }

  /** Registers `POST /api/realtime` and the hooks that end streams on shutdown. */
  register(server: FastifyInstance): void {
    server.post('/api/realtime', async (request, reply) => {
      const body = await readRequestBody(request);
      const form = validateSubscribeForm(body.data);
      await this.app.realtime.subscribe(form, request.auth, clientIp(request));
      return reply.status(204).send();
    });
    // streams never end on their own: end them first so that closing the server cannot hang
    server.addHook('preClose', async () => this.closeAll());
  }

  /** Ends every open stream and refuses new ones (server shutdown). */
  closeAll(): void {
    this.#closing = true;
    // close the sockets too, so that a reconnecting client cannot reuse a kept-alive one
    for (const res of [...this.#open]) res.end(() => res.socket?.destroy());
  }

  /** The `GET /api/realtime` handler. */
  connect = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (this.#closing) {
      await reply.code(503).header('connection', 'close').send({ status: 503, message: 'The server is shutting down.', data: {} });
      return;
    }
    reply.hijack();
    const res = reply.raw;
    const socket = request.raw.socket;
    // the stream is long-lived: no socket timeout, send each event at once
    socket.setTimeout(0);
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 60_000);
    res.writeHead(200, {
      ...headerValues(reply),
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    });
    this.#open.add(res);
    const maxBuffered = this.#maxBuffered;
    const sink: RealtimeSink = {
      send(name, data, clientId) {
        if (res.writableEnded || res.destroyed) return;
        res.write(sseFrame(clientId, name, data));
        if (res.writableLength > maxBuffered) res.destroy(); // slow consumer
      },
      close() {
        if (!res.writableEnded) res.end();
      },
    };
    let client;
    try {
      client = this.app.realtime.connect(sink, { ip: clientIp(request) });
    } catch {
      this.#open.delete(res);
      res.end(); // shutting down
      return;
    }
    res.on('close', () => {
      this.#open.delete(res);
      this.app.realtime.disconnect(client.id);
    });
  };
}
