import type { FastifyInstance } from 'fastify';
import type { PlinthApp } from '../../core/app.js';
import { listProviderInfo } from '../../core/auth/oauth2-providers.js';
import { errors } from '../../core/errors/plinth-error.js';
import { isSuperuser } from '../../core/request-info.js';
import { sendGoJson } from './record-auth-json.js';

/** `GET /api/collections/meta/oauth2-providers`: the OAuth2 provider presets (superusers only). */
export function oauth2ProvidersRoutes(server: FastifyInstance, _app: PlinthApp): void {
  server.get('/api/collections/meta/oauth2-providers', async (request, reply) => {
    if (!request.auth) throw errors.unauthorized();
    if (!isSuperuser(request)) throw errors.forbidden('The authorized record is not allowed to perform this action.');
    return sendGoJson(reply, 200, listProviderInfo());
  });
}
