import FindMyWay, { type HTTPMethod } from 'find-my-way';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PlinthApp } from '../../core/app.js';
import { errors } from '../../core/errors/plinth-error.js';
import type { HookRoute } from '../../core/hooks/hook-registry.js';
import type { RouteEvent, RouteResponse } from '../../core/hooks/hook-types.js';
import { isSuperuser, type AuthState } from '../../core/request-info.js';
import { buildRequestInfo } from '../request-info.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body text of a request no built-in route matched (custom hook routes read it). */
    rawBody: string | null;
  }
}

type Router = ReturnType<typeof FindMyWay>;

/**
 * The routes of hook files (`routerAdd`), matched by a find-my-way router of their own after
 * Fastify's found no built-in route: a reload under `--dev` swaps the router, which Fastify's
 * (frozen once listening) could not do. Built-in routes always win.
 */
export class HookRoutes {
  #router: Router | null = null;

  constructor(private readonly app: PlinthApp) {
    this.#rebuild();
    app.hooks.onChange(() => this.#rebuild());
  }

  /** Answers `request` when a hook route matches; false otherwise (the caller answers 404). */
  async dispatch(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const [path = '/', search = ''] = request.url.split('?', 2) as [string, string?];
    const found = this.#router?.find(request.method as HTTPMethod, path);
    if (!found) return false;
    const route = (found.store as { route: HookRoute }).route;
    const body = request.body && typeof request.body === 'object' && !Array.isArray(request.body) ? (request.body as Record<string, unknown>) : {};
    const event = routeEvent(this.app, request, path, search, found.params as Record<string, string>, body);
    const result = await this.app.hooks.guard(route.source, `route ${route.method} ${route.path}`, () => route.handler(event));
    send(reply, result);
    return true;
  }

  #rebuild(): void {
    const routes = this.app.hooks.routes;
    if (routes.length === 0) {
      this.#router = null;
      return;
    }
    const router = FindMyWay({ ignoreTrailingSlash: false, maxParamLength: 1000 });
    for (const route of routes) {
      try {
        router.on(route.method, route.path, () => undefined, { route });
      } catch (err) {
        console.error(`hook ${route.source}: routerAdd ${route.method} ${route.path}: ${(err as Error).message}`);
      }
    }
    this.#router = router;
  }
}

function routeEvent(app: PlinthApp, request: FastifyRequest, path: string, search: string, params: Record<string, string>, body: Record<string, unknown>): RouteEvent {
  const auth = request.auth;
  const requireAuth = (...collections: string[]): AuthState => {
    if (!auth) throw errors.unauthorized();
    if (collections.length > 0 && !collections.includes(auth.collection.name) && !collections.includes(auth.collection.id)) throw errors.forbidden();
    return auth;
  };
  return {
    app,
    method: request.method,
    path,
    params: { ...params },
    query: Object.fromEntries(new URLSearchParams(search)),
    headers: request.headers as Record<string, string | undefined>,
    body,
    rawBody: request.rawBody ?? '',
    auth,
    info: buildRequestInfo(request, body),
    requireAuth,
    requireSuperuser: () => {
      const state = requireAuth();
      if (!isSuperuser({ auth: state })) throw errors.superusersOnly();
      return state;
    },
  };
}

function isResponse(value: unknown): value is RouteResponse {
  return typeof value === 'object' && value !== null && (value as RouteResponse).__plinthResponse === true;
}

function send(reply: FastifyReply, result: unknown): void {
  if (result === undefined) {
    reply.status(204).send();
    return;
  }
  if (!isResponse(result)) {
    reply.status(200).type('application/json').send(JSON.stringify(result));
    return;
  }
  reply.status(result.status).headers(result.headers);
  const json = String(result.headers['content-type'] ?? '').startsWith('application/json');
  reply.send(json && typeof result.body !== 'string' ? JSON.stringify(result.body) : result.body);
}
