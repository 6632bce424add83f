import type { FastifyInstance } from 'fastify';
import type { PlinthApp } from '../../core/app.js';
import type { AuthEmailFlows } from '../../core/auth/email-flows.js';
import { buildRequestInfo } from '../request-info.js';
import { readBody, sendAuthOutcome } from './record-auth.js';

interface CollectionParams {
  collection: string;
}

/** The email token steps that take only the body: route suffix → `AuthEmailFlows` method. */
const EMAIL_STEPS = {
  'request-verification': 'requestVerification',
  'confirm-verification': 'confirmVerification',
  'request-password-reset': 'requestPasswordReset',
  'confirm-password-reset': 'confirmPasswordReset',
  'confirm-email-change': 'confirmEmailChange',
} as const satisfies Record<string, keyof AuthEmailFlows>;

/**
 * The mail, OTP, OAuth2 and impersonation endpoints of auth collections, PocketBase's routes and
 * answers: request endpoints answer 204 (or a believable `otpId`) whether the account exists or not.
 */
export function recordAuthFlowRoutes(server: FastifyInstance, app: PlinthApp): void {
  const flows = app.auth;
  for (const [path, step] of Object.entries(EMAIL_STEPS)) {
    server.post<{ Params: CollectionParams }>(`/api/collections/:collection/${path}`, async (request, reply) => {
      const collection = flows.authCollection(request.params.collection);
      await flows.emails[step](collection, await readBody(request));
      return reply.status(204).send();
    });
  }

  server.post<{ Params: CollectionParams }>('/api/collections/:collection/request-email-change', async (request, reply) => {
    const body = await readBody(request);
    await flows.emails.requestEmailChange(request.params.collection, body, buildRequestInfo(request, body));
    return reply.status(204).send();
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
    const body = await readBody(request);
    const info = buildRequestInfo(request, body);
    return sendAuthOutcome(app, reply, await flows.impersonate(request.params.collection, request.params.id, body, info), info);
  });
}
