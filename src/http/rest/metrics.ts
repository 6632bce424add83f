import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PlinthApp } from '../../core/app.js';
import { tokenFromHeader } from '../../core/auth/auth-tokens.js';
import { errors } from '../../core/errors/plinth-error.js';
import { isSuperuser } from '../../core/request-info.js';

function sameKey(given: string, key: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(key);
  return a.length === b.length && timingSafeEqual(a, b);
}

function hasMetricsKey(request: FastifyRequest, key: string | undefined): boolean {
  if (!key) return false;
  const bearer = tokenFromHeader(request.headers.authorization);
  const q = (request.query ?? {}) as Record<string, unknown>;
  return sameKey(bearer, key) || (typeof q.key === 'string' && sameKey(q.key, key));
}

/**
 * `GET /api/metrics` (Plinth extension): Prometheus text format, for a superuser token or the
 * configured metrics key (`Authorization: Bearer <key>` or `?key=`).
 */
export function metricsRoutes(server: FastifyInstance, app: PlinthApp): void {
  server.get('/api/metrics', async (request, reply) => {
    if (!isSuperuser(request) && !hasMetricsKey(request, app.ops.metricsKey)) {
      throw request.auth || request.headers.authorization ? errors.forbidden('Only superusers or the metrics key can read the metrics.') : errors.unauthorized();
    }
    const { contentType, body } = await app.ops.metrics.render();
    return reply.type(contentType).send(body);
  });
}
