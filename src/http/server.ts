import { createRequire } from 'node:module';
import cors from '@fastify/cors';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { PlinthApp } from '../core/app.js';
import { PlinthError, errors, isUnavailableError, type ErrorCode } from '../core/errors/plinth-error.js';
import type { AuthState } from '../core/request-info.js';
import { FASTIFY_ERROR_CODES, errorEnvelope } from './error-status.js';
import { HookRoutes } from './rest/hook-routes.js';
import { appendValue } from './request-body.js';
import { registerRoutes } from './rest/routes.js';
import { registerRateLimits } from './rate-limit.js';
import { registerRequestLog } from './request-log.js';
import { registerSuperuserIps } from './superuser-ips.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller resolved from the Authorization header; null for guests and invalid tokens. */
    auth: AuthState | null;
  }
}

export interface HttpOptions {
  /** Largest accepted request body in bytes (PocketBase's default is 32 MiB). */
  bodyLimit?: number;
  /** Log each request and unexpected errors to stdout. */
  logger?: boolean;
}

const DEFAULT_BODY_LIMIT = 32 << 20;

/** On every response but preflights: PocketBase's `Access-Control-Allow-Origin: *` and its security headers. */
const RESPONSE_HEADERS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'SAMEORIGIN',
  'x-xss-protection': '1; mode=block',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'cross-origin-opener-policy': 'same-origin',
};

/** Writes an error in PocketBase's envelope: `{"status":N,"message":"…","data":{…}}`. */
export function sendError(reply: FastifyReply, error: PlinthError): FastifyReply {
  const envelope = errorEnvelope(error);
  return reply.status(envelope.status).type('application/json').send(envelope);
}

function toPlinthError(error: unknown, request: FastifyRequest): PlinthError {
  if (error instanceof PlinthError) return error;
  if (isUnavailableError(error)) {
    request.log.warn({ err: error }, 'database unavailable');
    return errors.unavailable(error);
  }
  const fastifyError = error as Partial<FastifyError>;
  const mapped: ErrorCode | undefined = fastifyError.code ? FASTIFY_ERROR_CODES[fastifyError.code] : undefined;
  if (mapped === 'payload_too_large') return errors.tooLarge();
  if (mapped) return new PlinthError(mapped, errors.badRequest().message);
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    if (fastifyError.statusCode === 413) return errors.tooLarge();
    return errors.badRequest();
  }
  request.log.error({ err: error }, 'unhandled error');
  return errors.internal(error);
}

function parseJsonBody(request: FastifyRequest, body: string, done: (err: Error | null, body?: unknown) => void): void {
  if (request.is404) request.rawBody = body;
  if (body.trim() === '') return done(null, undefined);
  try {
    done(null, JSON.parse(body));
  } catch (cause) {
    if (request.is404) return done(null, undefined); // a hook route may take any text
    done(errors.badRequest('Failed to load the submitted data due to invalid formatting.', {}, cause));
  }
}

function parseFormBody(request: FastifyRequest, body: string, done: (err: Error | null, body?: unknown) => void): void {
  if (request.is404) request.rawBody = body;
  const data: Record<string, unknown> = {};
  // own properties only: keys such as `constructor` or `__proto__` are field names here
  for (const [key, value] of new URLSearchParams(body)) appendValue(data, key, value);
  done(null, data);
}

/**
 * Fastify's JSON-schema compilers (Ajv, fast-json-stringify), loaded only if a route ever has a
 * schema. Plinth's routes have none; requiring them anyway cost ~60 ms of every start.
 */
const fastifyRequire = createRequire(createRequire(import.meta.url).resolve('fastify'));
type CompilerFactory = (...args: unknown[]) => unknown;
/** A compilers factory that requires Fastify's own package `name` (a selector factory) on first use. */
function lazyFactory(name: string): CompilerFactory {
  let factory: CompilerFactory | undefined;
  return (...args) => (factory ??= (fastifyRequire(name) as () => CompilerFactory)())(...args);
}
export const lazySchemaCompilers = {
  buildValidator: lazyFactory('@fastify/ajv-compiler'),
  buildSerializer: lazyFactory('@fastify/fast-json-stringify-compiler'),
};

/** Builds the HTTP transport over a running app. Listening is the caller's business. */
export async function createHttpServer(app: PlinthApp, options: HttpOptions = {}): Promise<FastifyInstance> {
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const server = Fastify({
    bodyLimit,
    logger: options.logger ?? false,
    // PocketBase ids and paths are case-sensitive; keep trailing slashes meaningful like PocketBase.
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 1000 },
    schemaController: { compilersFactory: lazySchemaCompilers as never },
  });

  server.removeAllContentTypeParsers();
  server.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'string', bodyLimit }, parseJsonBody);
  server.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit }, parseFormBody);
  // Other types are accepted and ignored (PocketBase reads no body from them).
  server.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_req, _body, done) => done(null, undefined));
  // CORS preflights: @fastify/cors in a scope of its own holds only its `OPTIONS *` route, so its
  // hook (which copies its options and builds closures: ~5 µs) runs for preflights alone; the
  // other responses get the static `*` of RESPONSE_HEADERS below, all that `origin: '*'` adds.
  await server.register(async (scope) => {
    await scope.register(cors, { origin: '*', methods: ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE'] });
  });

  server.decorateRequest('auth', null);
  // A callback hook (no promise) that only waits for the token check when there is a token.
  server.addHook('onRequest', (request, reply, done) => {
    reply.headers(RESPONSE_HEADERS);
    const authorization = request.headers.authorization;
    if (!authorization) {
      request.auth = null;
      done();
      return;
    }
    app.auth.authenticate(authorization).then((auth) => {
      request.auth = auth;
      done();
    }, done);
  });

  // after the auth hook: rate-limit audiences depend on request.auth
  registerRateLimits(server, app, app.rateLimits);
  registerSuperuserIps(server, app);
  registerRequestLog(server, app);

  server.setErrorHandler((error, request, reply) => sendError(reply, toPlinthError(error, request)));
  const hookRoutes = new HookRoutes(app);
  server.decorateRequest('rawBody', null);
  server.setNotFoundHandler(async (request, reply) => {
    if (!(await hookRoutes.dispatch(request, reply))) sendError(reply, errors.notFound());
    return reply;
  });

  await registerRoutes(server, app, bodyLimit);
  return server;
}
