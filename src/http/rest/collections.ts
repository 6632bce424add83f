import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PlinthApp } from '../../core/app.js';
import { readRequestBody } from '../request-body.js';
import { listAnswer, listQuery } from './list-query.js';

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
    return listAnswer(query, { items: result.items.map((c) => svc.toJSON(c)), totalItems: result.totalItems });
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
