import type { FastifyInstance } from 'fastify';
import type { PlinthApp } from '../../core/app.js';
import { errors } from '../../core/errors/plinth-error.js';
import { isSuperuser } from '../../core/request-info.js';
import { buildRequestInfo } from '../request-info.js';
import { readBody, sendAuthOutcome } from './record-auth.js';

interface CollectionParams {
  collection: string;
}

/**
 * The mail, OTP, OAuth2 and impersonation endpoints of auth collections, PocketBase's routes and
 * answers: request endpoints answer 204 (or a believable `otpId`) whether the account exists or not.
 */
export function recordAuthFlowRoutes(server: FastifyInstance, app: PlinthApp): void {
  const flows = app.auth;
  const noContent = <T extends { status: (n: number) => { send: () => unknown } }>(reply: T) => reply.status(204).send();

  server.post<{ Params: CollectionParams }>('/api/collections/:collection/request-verification', async (request, reply) => {
    const collection = flows.authCollection(request.params.collection);
    await flows.emails.requestVerification(collection, await readBody(request));
    return noContent(reply);
  });

  server.post<{ Params: CollectionParams }>('/api/collections/:collection/confirm-verification', async (request, reply) => {
    const collection = flows.authCollection(request.params.collection);
    await flows.emails.confirmVerification(collection, await readBody(request));
    return noContent(reply);
  });

  server.post<{ Params: CollectionParams }>('/api/collections/:collection/request-password-reset', async (request, reply) => {
    const collection = flows.authCollection(request.params.collection);
    await flows.emails.requestPasswordReset(collection, await readBody(request));
    return noContent(reply);
  });

  server.post<{ Params: CollectionParams }>('/api/collections/:collection/confirm-password-reset', async (request, reply) => {
    const collection = flows.authCollection(request.params.collection);
    await flows.emails.confirmPasswordReset(collection, await readBody(request));
    return noContent(reply);
  });

  server.post<{ Params: CollectionParams }>('/api/collections/:collection/request-email-change', async (request, reply) => {
    const auth = request.auth;
    if (!auth) throw errors.unauthorized();
    const param = request.params.collection;
    if (auth.collection.id !== param && auth.collection.name !== param) {
      throw errors.forbidden('The request requires valid record authorization token set for the same collection.');
    }
    const collection = flows.authCollection(param);
    const body = await readBody(request);
    await flows.emails.requestEmailChange(collection, body, buildRequestInfo(request, body));
    return noContent(reply);
  });

  server.post<{ Params: CollectionParams }>('/api/collections/:collection/confirm-email-change', async (request, reply) => {
    const collection = flows.authCollection(request.params.collection);
    await flows.emails.confirmEmailChange(collection, await readBody(request));
    return noContent(reply);
  });

  server.post<{ Params: CollectionParams }>('/api/collections/:collection/request-otp', async (request, reply) => {
    const collection = flows.authCollection(request.params.collection);
    const answer = await flows.otp.request(collection, await readBody(request));
    return reply.status(200).send(answer);
  });

  server.post<{ Params: CollectionParams }>('/api/collections/:collection/auth-with-otp', async (request, reply) => {
    const collection = flows.authCollection(request.params.collection);
    const body = await readBody(request);
    const info = buildRequestInfo(request, body, 'otp');
    return sendAuthOutcome(app, reply, await flows.otp.signIn(collection, body, info), info);
  });

  server.post<{ Params: CollectionParams }>('/api/collections/:collection/auth-with-oauth2', async (request, reply) => {
    const collection = flows.authCollection(request.params.collection);
    const body = await readBody(request);
    const info = buildRequestInfo(request, body, 'oauth2');
    return sendAuthOutcome(app, reply, await flows.oauth2.signIn(collection, body, info), info);
  });

  server.post<{ Params: CollectionParams & { id: string } }>('/api/collections/:collection/impersonate/:id', async (request, reply) => {
    if (!request.auth) throw errors.unauthorized();
    if (!isSuperuser(request)) throw errors.forbidden('The authorized record is not allowed to perform this action.');
    const collection = flows.authCollection(request.params.collection);
    const body = await readBody(request);
    const info = buildRequestInfo(request, body);
    return sendAuthOutcome(app, reply, await flows.impersonate(collection, request.params.id, body, info), info);
  });
}
