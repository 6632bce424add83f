import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PlinthApp } from '../../core/app.js';
import type { CollectionListQuery } from '../../core/collections/collection-service.js';
import { readRequestBody } from '../request-body.js';

const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 1000;

function positiveInt(value: unknown, fallback: number): number {
  const n = Number.parseInt(String(value ?? ''), 10);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

function listQuery(request: FastifyRequest): CollectionListQuery {
  const q = (request.query ?? {}) as Record<string, unknown>;
  const skipTotal = String(q.skipTotal ?? '').toLowerCase();
  return {
    page: positiveInt(q.page, 1),
    perPage: Math.min(positiveInt(q.perPage, DEFAULT_PER_PAGE), MAX_PER_PAGE),
    sort: String(q.sort ?? ''),
    filter: String(q.filter ?? ''),
    skipTotal: skipTotal === '1' || skipTotal === 'true',
  };
}

function param(request: FastifyRequest): string {
  return (request.params as { collection: string }).collection;
}

/**
 * `/api/collections`: list, view, create, update, delete, truncate, import, scaffolds and the view
 * query dry run. Superusers only (the core decides: guests get 401, other auth 403).
 */
export function collectionsRoutes(server: FastifyInstance, app: PlinthApp): void {
  const svc = app.collections;

  server.get('/api/collections', async (request) => {
    const query = listQuery(request);
    const result = await svc.list(request, query);
    const totalPages = result.totalItems < 0 ? -1 : Math.ceil(result.totalItems / query.perPage);
    return {
      items: result.items.map((c) => svc.toJSON(c)),
      page: query.page,
      perPage: query.perPage,
      totalItems: result.totalItems,
      totalPages,
    };
  });

  server.post('/api/collections', async (request) => {
    const body = await readRequestBody(request);
    return svc.toJSON(await svc.create(request, body.data));
  });

  server.put('/api/collections/import', async (request, reply) => {
    const body = await readRequestBody(request);
    await svc.import(request, body.data);
    return reply.status(204).send();
  });

  server.get('/api/collections/meta/scaffolds', async (request) => svc.scaffolds(request));

  server.post('/api/collections/meta/dry-run-view', async (request) => {
    const body = await readRequestBody(request);
    return svc.dryRunView(request, body.data);
  });

  server.get('/api/collections/:collection', async (request) => svc.toJSON(svc.get(request, param(request))));

  server.patch('/api/collections/:collection', async (request) => {
    const body = await readRequestBody(request);
    return svc.toJSON(await svc.update(request, param(request), body.data));
  });

  server.delete('/api/collections/:collection', async (request, reply) => {
    await svc.delete(request, param(request));
    return reply.status(204).send();
  });

  server.delete('/api/collections/:collection/truncate', async (request, reply) => {
    await svc.truncate(request, param(request));
    return reply.status(204).send();
  });
}
