import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PlinthApp } from '../../core/app.js';
import { listAuthMethods } from '../../core/auth/auth-methods.js';
import type { AuthOutcome } from '../../core/auth/auth-service.js';
import { tokenFromHeader } from '../../core/auth/auth-tokens.js';
import { parseFields, pickFields } from '../../core/records/fields-picker.js';
import type { RequestInfo } from '../../core/request-info.js';
import { readRequestBody } from '../request-body.js';
import { buildRequestInfo } from '../request-info.js';
import { sendGoJson } from './record-auth-json.js';

interface CollectionParams {
  collection: string;
}

/**
 * Writes the answer of a sign-in step: `401 {"mfaId"}` when a second factor is due, otherwise
 * `{"record","token"}` with the record serialised as the records API would show it to its owner
 * (email always visible, `?expand=` resolved as the signed-in record). `?fields=` applies to the
 * whole answer, as in PocketBase (`fields=token,record.id`).
 */
export async function sendAuthOutcome(app: PlinthApp, reply: FastifyReply, outcome: AuthOutcome, info: RequestInfo): Promise<FastifyReply> {
  if (outcome.kind === 'mfa') return reply.status(401).type('application/json').send({ mfaId: outcome.mfaId });
  const { state, token, meta } = outcome;
  const asOwner: RequestInfo = { ...info, auth: state };
  const record = await app.records.serialize(state.collection, state.record, asOwner, { expand: info.query.expand ?? '' });
  const fields = parseFields(info.query.fields);
  const answer: Record<string, unknown> = meta === undefined ? { record, token } : { record, token, meta };
  return reply.status(200).type('application/json').send(pickFields(answer, fields));
}

/** The auth endpoints of auth collections: auth-methods, auth-with-password, auth-refresh. */
export function recordAuthRoutes(server: FastifyInstance, app: PlinthApp): void {
  server.get<{ Params: CollectionParams }>('/api/collections/:collection/auth-methods', async (request, reply) => {
    const collection = app.auth.authCollection(request.params.collection);
    return sendGoJson(reply, 200, listAuthMethods(collection));
  });

  server.post<{ Params: CollectionParams }>('/api/collections/:collection/auth-with-password', async (request, reply) => {
    const collection = app.auth.authCollection(request.params.collection);
    const body = await readBody(request);
    const info = buildRequestInfo(request, body, 'password');
    const outcome = await app.auth.signInWithPassword(collection, body, info);
    return sendAuthOutcome(app, reply, outcome, info);
  });

  server.post<{ Params: CollectionParams }>('/api/collections/:collection/auth-refresh', async (request, reply) => {
    const info = buildRequestInfo(request, {});
    const outcome = await app.auth.refresh(request.params.collection, tokenFromHeader(request.headers.authorization), info);
    return sendAuthOutcome(app, reply, outcome, info);
  });
}

/** The request's body fields (JSON, url-encoded or multipart without the files). */
export async function readBody(request: FastifyRequest): Promise<Record<string, unknown>> {
  const { data } = await readRequestBody(request);
  return data;
}
