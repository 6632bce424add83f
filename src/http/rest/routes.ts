import type { FastifyInstance } from 'fastify';
import type { PlinthApp } from '../../core/app.js';
import { collectionsRoutes } from './collections.js';
import { healthRoutes } from './health.js';
import { recordsRoutes } from './records.js';
import { oauth2ProvidersRoutes } from './oauth2-providers.js';
import { recordAuthRoutes } from './record-auth.js';

/** Every REST resource, one module each. */
const RESOURCES: ReadonlyArray<(server: FastifyInstance, app: PlinthApp) => void | Promise<void>> = [
  healthRoutes,
  collectionsRoutes,
  recordsRoutes,
  recordAuthRoutes,
  oauth2ProvidersRoutes,
];

export async function registerRoutes(server: FastifyInstance, app: PlinthApp): Promise<void> {
  for (const register of RESOURCES) await register(server, app);
}
