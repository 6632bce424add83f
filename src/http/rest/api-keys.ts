import type { FastifyInstance } from 'fastify';
import type { PlinthApp } from '../../core/app.js';
import { errors } from '../../core/errors/plinth-error.js';
import { readRequestBody } from '../request-body.js';

/**
 * API key management (a Plinth extension, superusers only): `POST /api/plinth/api-keys` creates a
 * key and answers it once as `key`; `GET` lists keys without secrets; `DELETE …/:id` revokes one.
 */
export function apiKeysRoutes(server: FastifyInstance, app: PlinthApp): void {
  const keys = () => {
    if (!app.auth.apiKeys) throw errors.notFound();
    return app.auth.apiKeys;
  };

  server.get('/api/plinth/api-keys', async (request) => ({ items: await keys().list(request) }));

  server.post('/api/plinth/api-keys', async (request) => {
    const service = keys();
    const { data } = await readRequestBody(request);
    return service.create(request, data);
  });

  server.delete<{ Params: { id: string } }>('/api/plinth/api-keys/:id', async (request, reply) => {
    await keys().revoke(request, request.params.id);
    return reply.status(204).send();
  });
}
