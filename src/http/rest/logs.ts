import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PlinthApp } from '../../core/app.js';
import { errors } from '../../core/errors/plinth-error.js';
import { requireSuperuser } from '../../core/auth/superuser-guard.js';
import { listAnswer, listQuery } from './list-query.js';

function query(request: FastifyRequest): Record<string, unknown> {
  return (request.query ?? {}) as Record<string, unknown>;
}

/**
 * `GET /api/logs`, `/api/logs/stats`, `/api/logs/{id}` (superusers only). The stats are hourly, as
 * PocketBase's; `?interval=minute` (Plinth's) gives per-minute buckets for the admin UI's chart.
 */
export function logsRoutes(server: FastifyInstance, app: PlinthApp): void {
  server.get('/api/logs', async (request) => {
    requireSuperuser(request);
    const q = listQuery(request);
    return listAnswer(q, await app.ops.logs.list(q));
  });

  server.get('/api/logs/stats', async (request) => {
    requireSuperuser(request);
    const { filter, interval = 'hour' } = query(request);
    if (interval !== 'hour' && interval !== 'minute') throw errors.badRequest('interval must be "hour" or "minute".');
    return app.ops.logs.stats(String(filter ?? ''), interval);
  });

  server.get('/api/logs/:id', async (request) => {
    requireSuperuser(request);
    const { id } = request.params as { id: string };
    const entry = id ? await app.ops.logs.find(id) : null;
    if (!entry) throw errors.notFound();
    return entry;
  });
}
