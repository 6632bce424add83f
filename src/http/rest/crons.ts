import type { FastifyInstance } from 'fastify';
import type { PlinthApp } from '../../core/app.js';
import { requireSuperuser } from '../../core/auth/superuser-guard.js';

/** `GET /api/crons` and `POST /api/crons/{id}` (run now, in the background; superusers only). */
export function cronsRoutes(server: FastifyInstance, app: PlinthApp): void {
  server.get('/api/crons', async (request) => {
    requireSuperuser(request);
    return app.ops.crons.list();
  });

  server.post('/api/crons/:id', async (request, reply) => {
    requireSuperuser(request);
    const { id } = request.params as { id: string };
    void app.ops.crons.runNow(id).catch(() => undefined);
    return reply.status(204).send();
  });
}
