import type { FastifyInstance } from 'fastify';
import type { PlinthApp } from '../../core/app.js';
import { FirstSuperuser } from '../../core/auth/first-superuser.js';
import { readRequestBody } from '../request-body.js';

/**
 * The first start (a Plinth route, used by the admin UI's install page): while no superuser exists,
 * `POST /api/plinth/install {token, email, password, passwordConfirm}` with the token of the link
 * `plinth serve` printed creates the first one. `GET` tells the page whether it is still needed.
 */
export function installRoutes(server: FastifyInstance, app: PlinthApp): void {
  const install = new FirstSuperuser(app.schema, app.records);
  server.get('/api/plinth/install', async () => ({ needed: await install.needed() }));
  server.post('/api/plinth/install', async (request, reply) => {
    const { data } = await readRequestBody(request);
    await install.complete({ token: data.token, email: data.email, password: data.password, passwordConfirm: data.passwordConfirm });
    return reply.status(204).send();
  });
}
