import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ExecutionResult, GraphQLError } from 'graphql';
import { makeHandler } from 'graphql-ws/use/@fastify/websocket';
import type { PlinthApp } from '../../core/app.js';
import { tokenFromHeader } from '../../core/auth/auth-tokens.js';
import { errors } from '../../core/errors/plinth-error.js';
import { isSuperuser, type AuthState } from '../../core/request-info.js';
import { actionLabels } from '../rate-limit.js';
import { buildRequestInfo } from '../request-info.js';
import type { GraphqlContext, SchemaVariant } from './graphql-context.js';
import { GraphqlEngine, type GraphqlParams } from './graphql-engine.js';
import { formatGraphqlError, requestError } from './graphql-errors.js';
import { explorerCsp, explorerHtml, serveExplorerAsset } from './graphql-explorer.js';
import { GRAPHQL_PATH, MAX_SOCKET_OPERATIONS, type GraphqlHandlers, type GraphqlHttpOptions } from './graphql-routes.js';

const HTTP_OPERATIONS: ReadonlySet<string> = new Set(['query', 'mutation']);
const GET_OPERATIONS: ReadonlySet<string> = new Set(['query']);

const variantOf = (auth: AuthState | null): SchemaVariant => (isSuperuser({ auth }) ? 'superuser' : 'public');

function baseUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/**
 * The handlers of `/api/graphql` (see graphql-routes.ts, which registers them and loads this
 * module, graphql-js and graphql-ws with the first GraphQL request).
 */
export function createGraphqlHandlers(scope: FastifyInstance, app: PlinthApp, options: GraphqlHttpOptions = {}): GraphqlHandlers {
  const engine = new GraphqlEngine(app.schema, () => app.settings.get());
  const log = (err: unknown) => scope.log.error({ err }, 'graphql resolver failed');
  const requireEnabled = () => {
    if (!engine.config().enabled) throw errors.notFound();
  };

  const contextOf = (request: FastifyRequest, auth: AuthState | null, token: string): GraphqlContext => ({
    app,
    request: { ...buildRequestInfo(request, {}, 'graphql'), auth },
    token,
    baseUrl: baseUrl(request),
    limitAction: (collection, action, authAction) => scope.checkRateLimit(request, actionLabels(collection, action, authAction), authAction),
    limitPath: (path) => scope.checkRateLimit(request, [`POST ${path}`, path], false),
  });

  const run = async (params: GraphqlParams, request: FastifyRequest, allowed: ReadonlySet<string>): Promise<{ status: number; body: ExecutionResult | { errors: unknown[] } }> => {
    const context = contextOf(request, request.auth, tokenFromHeader(request.headers.authorization));
    const prepared = engine.prepare(params, context, variantOf(request.auth), allowed);
    if (!prepared.ok) return { status: 400, body: { errors: prepared.errors.map((e) => formatGraphqlError(e, log)) } };
    const result = await prepared.run();
    return { status: 200, body: formatResult(result, log) };
  };

  const send = (reply: FastifyReply, status: number, body: unknown) => reply.status(status).type('application/json; charset=utf-8').send(body);

  return {
    get: async (request, reply) => {
      requireEnabled();
      const query = request.query as Record<string, unknown>;
      if (query['query'] === undefined && (request.headers.accept ?? '').includes('text/html')) {
        return reply.type('text/html; charset=utf-8').headers({ 'cache-control': 'no-cache', 'content-security-policy': explorerCsp }).send(explorerHtml(GRAPHQL_PATH, baseUrl(request)));
      }
      let variables: unknown = query['variables'];
      if (typeof variables === 'string') {
        try {
          variables = JSON.parse(variables);
        } catch {
          return send(reply, 400, { errors: [requestError('variables must be JSON.').toJSON()] });
        }
      }
      const { status, body } = await run({ query: query['query'], operationName: query['operationName'], variables }, request, GET_OPERATIONS);
      return send(reply, status, body);
    },
    ws: makeHandler<Record<string, unknown>, { auth: AuthState | null; token: string; operations: Set<string> }>({
      onConnect: async (ctx) => {
        if (!engine.config().enabled) return false;
        const params = ctx.connectionParams ?? {};
        const raw = params['Authorization'] ?? params['authorization'] ?? params['token'];
        const token = typeof raw === 'string' ? tokenFromHeader(raw) : '';
        ctx.extra.token = token;
        ctx.extra.auth = token === '' ? null : await app.auth.authenticate(token);
        return true;
      },
      onSubscribe: (ctx, id, payload) => {
        const operations = (ctx.extra.operations ??= new Set());
        if (operations.size >= MAX_SOCKET_OPERATIONS) {
          return [requestError(`At most ${MAX_SOCKET_OPERATIONS} operations may run on one connection.`, 'TOO_MANY_OPERATIONS')];
        }
        const auth = ctx.extra.auth ?? null;
        const prepared = engine.prepare(payload, contextOf(ctx.extra.request, auth, ctx.extra.token ?? ''), variantOf(auth));
        if (!prepared.ok) return prepared.errors as GraphQLError[];
        operations.add(id);
        return prepared.args;
      },
      onComplete: (ctx, id) => {
        ctx.extra.operations?.delete(id);
      },
      onError: (_ctx, _id, _payload, errs) => errs.map((e) => formatGraphqlError(e, log)),
      onNext: (_ctx, _id, _payload, _args, result) => formatResult(result, log),
    }, options.keepAliveMs),
    post: async (request, reply) => {
      requireEnabled();
    const body = request.body;
    if (Array.isArray(body)) {
      const { maxBatch } = engine.config();
      if (body.length === 0 || body.length > maxBatch) {
        return send(reply, 400, { errors: [requestError(`Send between 1 and ${maxBatch} operations in one request.`, 'BATCH_TOO_LARGE').toJSON()] });
      }
      const results = [];
      for (const item of body) results.push((await run(asParams(item), request, HTTP_OPERATIONS)).body);
      return send(reply, 200, results);
    }
    const { status, body: answer } = await run(asParams(body), request, HTTP_OPERATIONS);
    return send(reply, status, answer);
    },
    explorerAsset: async (request, reply) => {
      requireEnabled();
      return serveExplorerAsset(request, reply, `${GRAPHQL_PATH}/explorer/`);
    },
  };
}

function asParams(body: unknown): GraphqlParams {
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as GraphqlParams) : {};
}

function formatResult(result: ExecutionResult, log: (err: unknown) => void): ExecutionResult {
  if (!result.errors) return result;
  return { ...result, errors: result.errors.map((e) => formatGraphqlError(e, log)) as unknown as GraphQLError[] };
}

