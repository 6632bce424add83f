import type { FastifyInstance } from 'fastify';
import type { PlinthApp } from '../../core/app.js';
import { errors } from '../../core/errors/plinth-error.js';
import { readRequestBody } from '../request-body.js';

type Id = { Params: { id: string } };

/**
 * Outbound webhooks (a Plinth extension, superusers only; see docs/webhooks.md):
 * `GET|POST /api/webhooks`, `GET|PATCH|DELETE /api/webhooks/:id`,
 * `POST /api/webhooks/:id/rotate-secret`, `GET /api/webhooks/:id/deliveries` (the log, paginated),
 * `GET /api/webhooks/deliveries/:id` and `POST /api/webhooks/deliveries/:id/replay`.
 */
export function webhooksRoutes(server: FastifyInstance, app: PlinthApp): void {
  const hooks = () => {
    if (!app.webhooks) throw errors.notFound();
    return app.webhooks;
  };

  server.get('/api/webhooks', async (request) => ({ items: await hooks().list(request) }));

  server.post('/api/webhooks', async (request) => {
    const service = hooks();
    const { data } = await readRequestBody(request);
    return service.create(request, data);
  });

  server.get<Id>('/api/webhooks/:id', async (request) => hooks().view(request, request.params.id));

  server.patch<Id>('/api/webhooks/:id', async (request) => {
    const service = hooks();
    const { data } = await readRequestBody(request);
    return service.update(request, request.params.id, data);
  });

  server.delete<Id>('/api/webhooks/:id', async (request, reply) => {
    await hooks().delete(request, request.params.id);
    return reply.status(204).send();
  });

  server.post<Id>('/api/webhooks/:id/rotate-secret', async (request) => {
    const service = hooks();
    const { data } = await readRequestBody(request);
    return service.rotateSecret(request, request.params.id, data);
  });

  server.get<Id & { Querystring: Record<string, unknown> }>('/api/webhooks/:id/deliveries', async (request) =>
    hooks().deliveries(request, request.params.id, request.query ?? {}));

  server.get<Id>('/api/webhooks/deliveries/:id', async (request) => hooks().delivery(request, request.params.id));

  server.post<Id>('/api/webhooks/deliveries/:id/replay', async (request) => hooks().replay(request, request.params.id));
}
