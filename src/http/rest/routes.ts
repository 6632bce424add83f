import type { FastifyInstance } from 'fastify';
import type { PlinthApp } from '../../core/app.js';
import { healthRoutes } from './health.js';

/** Every REST resource, one module each. */
const RESOURCES: ReadonlyArray<(server: FastifyInstance, app: PlinthApp) => void | Promise<void>> = [
  healthRoutes,
];

export async function registerRoutes(server: FastifyInstance, app: PlinthApp): Promise<void> {
  for (const register of RESOURCES) await register(server, app);
}
