import type { FastifyReply, FastifyRequest } from 'fastify';
import { ruruHTML } from 'ruru/server';
import { getStaticFile } from 'ruru/static';
import { errors } from '../../core/errors/plinth-error.js';

/**
 * The GraphQL explorer: Ruru (a GraphiQL distribution) served from the package's own bundle,
 * so it works offline. Its page needs inline scripts and module workers: it gets a CSP of its own.
 */
const EXPLORER_CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "worker-src 'self' blob:",
  "connect-src 'self' ws: wss:",
  "img-src 'self' data:",
  "font-src 'self' data:",
].join('; ');

export function explorerHtml(endpoint: string, baseUrl: string): string {
  return ruruHTML({
    staticPath: `${endpoint}/explorer/`,
    endpoint,
    subscriptionEndpoint: `${baseUrl.replace(/^http/, 'ws')}${endpoint}`,
  });
}

export const explorerCsp = EXPLORER_CSP;

/** One of Ruru's static files (brotli-compressed in the package; decompressed for clients that cannot take it). */
export async function serveExplorerAsset(request: FastifyRequest, reply: FastifyReply, staticPath: string): Promise<FastifyReply> {
  const file = await getStaticFile({
    staticPath,
    urlPath: request.url.split('?')[0] ?? '',
    acceptEncoding: request.headers['accept-encoding'],
    disallowDevAssets: true,
  });
  if (!file) throw errors.notFound();
  if (file.headers['etag'] && request.headers['if-none-match'] === file.headers['etag']) return reply.status(304).send();
  return reply.headers({ ...file.headers, 'cache-control': 'public, max-age=86400' }).send(file.content);
}
