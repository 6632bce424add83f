import type { FastifyInstance } from 'fastify';
import type { PlinthApp } from '../../core/app.js';
import { isSuperuser } from '../../core/request-info.js';
import { clientIp } from '../request-info.js';

/** `GET|HEAD /api/health`: liveness, with details for superusers. */
export function healthRoutes(server: FastifyInstance, app: PlinthApp): void {
  server.route({
    method: ['GET', 'HEAD'],
    url: '/api/health',
    handler: async (request) => {
      const data: Record<string, unknown> = {};
      if (isSuperuser(request)) {
        // as PocketBase: false while a backup or restore is running
        const backups = app.ops.backups;
        data.canBackup = backups.active === null;
        data.realIP = clientIp(request);
        data.possibleProxyHeader = request.headers['x-forwarded-for'] ? 'X-Forwarded-For' : '';
        // a Plinth extension, on cluster nodes only: which node answered, and whether Redis does
        if (app.cluster) data.cluster = { node: app.cluster.nodeId, redis: app.cluster.redis() };
        // a Plinth extension, on PostgreSQL and MySQL: backups are the database's own tools' job
        const unsupported = backups.unsupportedReason;
        if (unsupported) data.backups = { supported: false, message: unsupported };
      }
      return { code: 200, message: 'API is healthy.', data };
    },
  });
}
