import type { FastifyInstance } from 'fastify';
import type { PlinthApp } from '../../core/app.js';
import { listProviderInfo } from '../../core/auth/oauth2-providers.js';
import { requireSuperuser } from '../../core/auth/superuser-guard.js';
import { sendGoJson } from './record-auth-json.js';

/** `GET /api/collections/meta/oauth2-providers`: the OAuth2 provider presets (superusers only). */
export function oauth2ProvidersRoutes(server: FastifyInstance, _app: PlinthApp): void {
  server.get('/api/collections/meta/oauth2-providers', async (request, reply) => {
    requireSuperuser(request);
    return sendGoJson(reply, 200, listProviderInfo());
  });
}
