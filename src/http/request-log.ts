import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PlinthApp } from '../core/app.js';
import { clientIp } from './request-info.js';

/** slog levels PocketBase stores: info, warn (4xx), error (5xx). */
function levelOf(status: number): number {
  if (status >= 500) return 8;
  if (status >= 400) return 4;
  return 0;
}

function header(request: FastifyRequest, name: string): string {
  const v = request.headers[name];
  return Array.isArray(v) ? v.join(', ') : v ?? '';
}

/**
 * The request log and the HTTP metrics: one `onResponse` hook that queues a `_logs` entry
 * (PocketBase's `type: "request"` data; IP and auth id only as `logs.logIP`/`logs.logAuthId` say)
 * and counts the request by route and status. Nothing is written on the request path: the log
 * service batches the writes.
 */
export function registerRequestLog(server: FastifyInstance, app: PlinthApp): void {
  const { logs, metrics } = app.ops;
  server.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode;
    const ms = reply.elapsedTime;
    const method = request.method;
    metrics.observeRequest(method, request.routeOptions.url ?? 'unmatched', status, ms / 1000);
    const level = levelOf(status);
    // the admin UI's own files are not API traffic: only their failures are logged
    const adminAsset = status < 400 && request.url.startsWith('/_/');
    if (method !== 'OPTIONS' && !adminAsset && logs.enabled(level)) {
      const config = logs.config();
      const url = request.url;
      const auth = request.auth;
      const data: Record<string, unknown> = {
        type: 'request',
        url,
        method,
        status,
        execTime: Math.round(ms * 1000) / 1000,
        auth: auth ? auth.collection.name : '',
        referer: header(request, 'referer'),
        userAgent: header(request, 'user-agent'),
      };
      if (config.logAuthId && auth) data.authId = auth.record.id;
      if (config.logIP) {
        data.userIP = clientIp(request);
        data.remoteIP = request.socket.remoteAddress ?? request.ip;
      }
      logs.add(level, `${method} ${url}`, data);
    }
    done();
  });
}
