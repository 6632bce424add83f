import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PlinthApp } from '../../core/app.js';
import { errors } from '../../core/errors/plinth-error.js';
import { requireSuperuser } from './superuser-guard.js';

const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 1000;

function positiveInt(value: unknown, fallback: number): number {
  const n = Number.parseInt(String(value ?? ''), 10);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

function query(request: FastifyRequest): Record<string, unknown> {
  return (request.query ?? {}) as Record<string, unknown>;
}

/** `GET /api/logs`, `/api/logs/stats`, `/api/logs/{id}` (superusers only). */
export function logsRoutes(server: FastifyInstance, app: PlinthApp): void {
  server.get('/api/logs', async (request) => {
    requireSuperuser(request);
    const q = query(request);
    const page = positiveInt(q.page, 1);
    const perPage = Math.min(positiveInt(q.perPage, DEFAULT_PER_PAGE), MAX_PER_PAGE);
    const skip = String(q.skipTotal ?? '').toLowerCase();
    const skipTotal = skip === '1' || skip === 'true';
    const result = await app.ops.logs.list({ page, perPage, skipTotal, filter: String(q.filter ?? ''), sort: String(q.sort ?? '') });
    return {
      items: result.items,
      page,
      perPage,
      totalItems: result.totalItems,
      totalPages: result.totalItems < 0 ? -1 : Math.ceil(result.totalItems / perPage),
    };
  });

  server.get('/api/logs/stats', async (request) => {
    requireSuperuser(request);
    return app.ops.logs.stats(String(query(request).filter ?? ''));
  });

  server.get('/api/logs/:id', async (request) => {
    requireSuperuser(request);
    const { id } = request.params as { id: string };
    const entry = id ? await app.ops.logs.find(id) : null;
    if (!entry) throw errors.notFound();
    return entry;
  });
}
