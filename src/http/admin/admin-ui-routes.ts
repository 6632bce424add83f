import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PlinthApp } from '../../core/app.js';
import { errors } from '../../core/errors/plinth-error.js';
import { sendError } from '../server.js';
import { loadAdminAssets, type AdminAsset } from './admin-assets.js';

/** Where `npm run build` writes the admin UI: dist/admin at the package root (from src/ or dist/). */
export const DEFAULT_ADMIN_DIR = fileURLToPath(new URL('../../../dist/admin/', import.meta.url));

/**
 * The page may load only its own scripts and styles and talk only to this origin; the inline
 * style allowance is for Svelte's style directives. Files and thumbnails are same-origin too.
 */
export const ADMIN_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

/**
 * The admin UI at /_/: the built single-page app, read into memory on first use (so a server that
 * never serves it pays nothing at start), with ETags, gzip/brotli and a CSP. Paths without a file
 * extension get index.html: the app routes after the `#`, but a reload of any /_/ URL still works.
 */
export function adminUiRoutes(server: FastifyInstance, _app: PlinthApp, dir = DEFAULT_ADMIN_DIR): void {
  let assets: Promise<Map<string, AdminAsset> | null> | undefined;
  const load = () => (assets ??= existsSync(dir) ? loadAdminAssets(dir) : Promise.resolve(null));

  server.get('/_', async (_request, reply) => reply.redirect('/_/', 301));
  server.get<{ Params: { '*': string } }>('/_/*', async (request, reply) => {
    const files = await load();
    if (!files) {
      assets = undefined; // built later (npm run build): look again next time
      return sendError(reply, errors.notFound('The admin UI is not built: run `npm run build`.'));
    }
    const path = request.params['*'];
    const asset = files.get(path) ?? (/\.[a-z0-9]+$/i.test(path) ? undefined : files.get('index.html'));
    if (!asset) return sendError(reply, errors.notFound());
    return sendAsset(request, reply, asset);
  });
}

function sendAsset(request: FastifyRequest, reply: FastifyReply, asset: AdminAsset): FastifyReply {
  reply
    .header('content-type', asset.type)
    .header('etag', asset.etag)
    .header('cache-control', asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
    .header('content-security-policy', ADMIN_CSP)
    .header('vary', 'accept-encoding');
  if (request.headers['if-none-match'] === asset.etag) return reply.status(304).send();
  const accept = String(request.headers['accept-encoding'] ?? '');
  if (asset.brotli && /\bbr\b/.test(accept)) return reply.header('content-encoding', 'br').send(asset.brotli);
  if (asset.gzip && /\bgzip\b/.test(accept)) return reply.header('content-encoding', 'gzip').send(asset.gzip);
  return reply.send(asset.body);
}
