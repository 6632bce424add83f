import type { FastifyRequest } from 'fastify';
import type { RequestInfo } from '../core/request-info.js';

/** Header name → rule name (`X-Token` → `x_token`); names repeat, so the mapping is memoised. */
const RULE_HEADER_NAMES = new Map<string, string>();

function ruleHeaderName(name: string): string {
  let out = RULE_HEADER_NAMES.get(name);
  if (out === undefined) {
    out = name.toLowerCase().replaceAll('-', '_');
    if (RULE_HEADER_NAMES.size < 1000) RULE_HEADER_NAMES.set(name, out);
  }
  return out;
}

function normalizeHeaders(headers: FastifyRequest['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    out[ruleHeaderName(name)] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return out;
}

function normalizeQuery(query: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!query || typeof query !== 'object') return out;
  const q = query as Record<string, unknown>;
  for (const name in q) {
    if (!Object.hasOwn(q, name)) continue;
    const value = q[name];
    out[name] = Array.isArray(value) ? String(value[0] ?? '') : String(value ?? '');
  }
  return out;
}

/**
 * The client address (`request.realIp`, which honours the trusted-proxy settings) with the socket's
 * as the fallback for requests that failed before the rate-limit hook resolved it.
 */
export function clientIp(request: FastifyRequest): string {
  return request.realIp || request.ip;
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
    realIp: clientIp(request),
  };
}
