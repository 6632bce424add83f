import multipart from '@fastify/multipart';
import type { FastifyInstance, HTTPMethods, RouteOptions } from 'fastify';
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
import { webhooksRoutes } from './webhooks.js';
import { socketRoutes } from '../realtime/realtime-routes.js';
import { installRoutes } from './install.js';
import { rulesRoutes } from './rules.js';
import { adminUiRoutes } from '../admin/admin-ui-routes.js';

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
  webhooksRoutes,
  oauth2ProvidersRoutes,
  socketRoutes,
  installRoutes,
  rulesRoutes,
  adminUiRoutes,
];

const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD']);
const isRead = (method: HTTPMethods | HTTPMethods[]): boolean =>
  (Array.isArray(method) ? method : [method]).every((m) => READ_METHODS.has(m.toUpperCase()));

/**
 * The instance the resource modules register on: GET and HEAD routes go to `reads`, every other
 * route (and everything else: hooks, plugins) to `bodies`, the scope that parses request bodies.
 */
export function routesByMethod(reads: FastifyInstance, bodies: FastifyInstance): FastifyInstance {
  return new Proxy(bodies, {
    get(target, property) {
      if (property === 'get' || property === 'head') return reads[property].bind(reads);
      if (property === 'route') return (options: RouteOptions) => (isRead(options.method) ? reads : target).route(options);
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * Every REST resource. `@fastify/multipart` lives in a scope with the routes that can take a
 * body: it adds two promise hooks to every request of its scope (clean-up for its disk mode,
 * which Plinth does not use), and GET and HEAD routes are the hot path.
 */
export async function registerRoutes(server: FastifyInstance, app: PlinthApp, bodyLimit: number): Promise<void> {
  await server.register(async (bodies) => {
    await bodies.register(multipart, { limits: { fileSize: bodyLimit, fieldSize: bodyLimit, parts: 10_000 } });
    const routes = routesByMethod(server, bodies);
    for (const register of RESOURCES) await register(routes, app);
  });
}
