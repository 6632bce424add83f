import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PlinthApp } from '../../core/app.js';
import type { OAuth2RedirectData } from '../../core/auth/oauth2-redirect.js';
import { readRequestBody } from '../request-body.js';

const FAILURE = 'Failed to authenticate. You can close this window and go back to the app to try again.';
const SUCCESS = 'Auth completed. You can close this window and go back to the app.';

function text(value: unknown): string {
  return typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : '';
}

async function readRedirect(request: FastifyRequest): Promise<OAuth2RedirectData | null> {
  let source: Record<string, unknown>;
  if (request.method === 'POST') {
    try {
      source = (await readRequestBody(request)).data;
    } catch {
      return null;
    }
  } else {
    source = (request.query ?? {}) as Record<string, unknown>;
  }
  const data: OAuth2RedirectData = { state: text(source.state), code: text(source.code) };
  const error = text(source.error);
  if (error) data.error = error;
  return data;
}

/**
 * `GET|POST /api/oauth2-redirect`: the redirect target of the SDK's all-in-one OAuth2 flow. The
 * `state` is the id of the realtime client waiting on `@oauth2`; the code (or the provider's error)
 * is delivered to it, and the browser window gets a short page saying it can be closed. Apple's
 * `form_post` redirects arrive as POST.
 */
export function oauth2RedirectRoutes(server: FastifyInstance, app: PlinthApp): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const fail = () => reply.status(200).type('text/plain; charset=utf-8').send(FAILURE);
    const data = await readRedirect(request);
    if (!data || !data.state) return fail();
    const sink = app.auth.oauth2Redirects;
    const delivered = sink ? await sink.deliver(data.state, data).catch(() => false) : false;
    if (!delivered || data.error || !data.code) return fail();
    return reply.status(200).type('text/html; charset=utf-8').send(SUCCESS);
  };
  server.get('/api/oauth2-redirect', handler);
  server.post('/api/oauth2-redirect', handler);
}
