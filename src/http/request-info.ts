import type { FastifyRequest } from 'fastify';
import type { RequestInfo } from '../core/request-info.js';

function normalizeHeaders(headers: FastifyRequest['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase().replaceAll('-', '_')] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return out;
}

function normalizeQuery(query: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!query || typeof query !== 'object') return out;
  for (const [name, value] of Object.entries(query as Record<string, unknown>)) {
    out[name] = Array.isArray(value) ? String(value[0] ?? '') : String(value ?? '');
  }
  return out;
}

/** What rules see of an HTTP request as `@request.*`. */
export function buildRequestInfo(
  request: FastifyRequest,
  body: Record<string, unknown> = {},
  context = 'default',
): RequestInfo {
  return {
    auth: request.auth,
    method: request.method.toUpperCase(),
    headers: normalizeHeaders(request.headers),
    query: normalizeQuery(request.query),
    body,
    context,
  };
}
