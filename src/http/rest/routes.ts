import type { FastifyInstance } from 'fastify';
import type { PlinthApp } from '../../core/app.js';
import { collectionsRoutes } from './collections.js';
import { healthRoutes } from './health.js';
import { recordsRoutes } from './records.js';
import { filesRoutes } from './files.js';
import { batchRoutes } from './batch.js';
import { oauth2ProvidersRoutes } from './oauth2-providers.js';
import { recordAuthRoutes } from './record-auth.js';
import { recordAuthFlowRoutes } from './record-auth-flows.js';
import { oauth2RedirectRoutes } from './oauth2-redirect.js';
import { settingsRoutes } from './settings.js';
import { logsRoutes } from './logs.js';
import { cronsRoutes } from './crons.js';
import { backupsRoutes } from './backups.js';
import { sqlRoutes } from './sql.js';
import { metricsRoutes } from './metrics.js';
import { apiKeysRoutes } from './api-keys.js';
import { realtimeRoutes } from '../realtime/realtime-routes.js';

/** Every REST resource, one module each. */
const RESOURCES: ReadonlyArray<(server: FastifyInstance, app: PlinthApp) => void | Promise<void>> = [
  healthRoutes,
  collectionsRoutes,
  recordsRoutes,
  filesRoutes,
  batchRoutes,
  recordAuthRoutes,
  recordAuthFlowRoutes,
  oauth2RedirectRoutes,
  settingsRoutes,
  logsRoutes,
  cronsRoutes,
  backupsRoutes,
  sqlRoutes,
  metricsRoutes,
  apiKeysRoutes,
  oauth2ProvidersRoutes,
  realtimeRoutes,
];

export async function registerRoutes(server: FastifyInstance, app: PlinthApp): Promise<void> {
  for (const register of RESOURCES) await register(server, app);
}
