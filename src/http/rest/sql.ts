import type { FastifyInstance } from 'fastify';
import type { PlinthApp } from '../../core/app.js';
import { readRequestBody } from '../request-body.js';
import { requireSuperuser } from '../../core/auth/superuser-guard.js';

/** `POST /api/sql`: the superusers' SQL console, with PocketBase's answer shape. */
export function sqlRoutes(server: FastifyInstance, app: PlinthApp): void {
  server.post('/api/sql', async (request) => {
    requireSuperuser(request);
    const { data } = await readRequestBody(request);
    return app.ops.sqlConsole.run(data);
  });
}
