import { isIP } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PlinthApp } from '../core/app.js';
import type { RateLimitStore } from '../core/auth/auth-ports.js';
import { findRateLimitRule, readRateLimits, type RateLimitRule } from '../core/auth/rate-limit-rules.js';
import { errors } from '../core/errors/plinth-error.js';
import { perSnapshot } from '../core/settings/settings-service.js';
import { MemoryRateLimitStore } from '../adapters/rate-limit/memory-rate-limit-store.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The client address: the socket's, or a trusted proxy header's when configured. */
    realIp: string;
  }
  interface FastifyInstance {
    /**
     * Counts one operation of `request` against the rate limits as if it came by its own route
     * (labels from {@link actionLabels}); throws 429 over a limit. For transports that run many
     * operations in one request (GraphQL), so that they share REST's counters.
     */
    checkRateLimit(request: FastifyRequest, labels: readonly string[], authAction: boolean): Promise<void>;
  }
}

/** Route suffix → PocketBase's rate-limit action name, and whether it carries the `auth` tag. */
const AUTH_ACTIONS: Record<string, [action: string, auth: boolean]> = {
  'auth-methods': ['listAuthMethods', false],
  'auth-refresh': ['authRefresh', false],
  'auth-with-password': ['authWithPassword', true],
  'auth-with-oauth2': ['authWithOAuth2', true],
  'auth-with-otp': ['authWithOTP', true],
  'request-otp': ['requestOTP', true],
  'request-password-reset': ['requestPasswordReset', true],
  'confirm-password-reset': ['confirmPasswordReset', true],
  'request-verification': ['requestVerification', true],
  'confirm-verification': ['confirmVerification', true],
  'request-email-change': ['requestEmailChange', true],
  'confirm-email-change': ['confirmEmailChange', true],
  'impersonate': ['impersonate', false],
};

const RECORD_ACTIONS: Record<string, string> = { GET: 'list', POST: 'create' };
const RECORD_ITEM_ACTIONS: Record<string, string> = { GET: 'view', PATCH: 'update', DELETE: 'delete' };

/** The collection action of a request (`users`, `authWithPassword`, true), from its route. */
function collectionAction(request: FastifyRequest): { collection: string; action: string; auth: boolean } | null {
  const url = request.routeOptions.url ?? '';
  const collection = (request.params as Record<string, string> | undefined)?.collection;
  if (!collection || !url.startsWith('/api/collections/:collection/')) return null;
  const rest = url.slice('/api/collections/:collection/'.length);
  if (rest === 'records') {
    const action = RECORD_ACTIONS[request.method];
    return action ? { collection, action, auth: false } : null;
  }
  if (rest === 'records/:id') {
    const action = RECORD_ITEM_ACTIONS[request.method];
    return action ? { collection, action, auth: false } : null;
  }
  const entry = AUTH_ACTIONS[rest.split('/')[0] ?? ''];
  return entry ? { collection, action: entry[0], auth: entry[1] } : null;
}

/** The labels of a collection action (`posts:list`, `*:list`, and `posts:auth`, `*:auth` for auth actions). */
export function actionLabels(collection: string, action: string, auth: boolean): string[] {
  const labels = [`${collection}:${action}`, `*:${action}`];
  if (auth) labels.push(`${collection}:auth`, '*:auth');
  return labels;
}

/** The labels PocketBase matches rules against, most specific first. */
function rateLimitLabels(request: FastifyRequest): string[] {
  const path = request.url.split('?')[0] ?? '';
  const target = collectionAction(request);
  const labels = target ? actionLabels(target.collection, target.action, target.auth) : [];
  labels.push(`${request.method} ${path}`, path);
  return labels;
}

function firstIp(value: string, leftmost: boolean): string {
  const parts = value.split(',').map((p) => p.trim()).filter((p) => p !== '');
  const ordered = leftmost ? parts : parts.reverse();
  return ordered.find((p) => isIP(p) !== 0) ?? '';
}

/**
 * The client address (PocketBase's `RealIP`): the socket's remote address, unless
 * `trustedProxy.headers` names headers to read it from (first non-empty one; in comma lists the
 * rightmost address, or the leftmost with `useLeftmostIP`). Client-sent headers are ignored otherwise.
 */
function realClientIp(request: FastifyRequest, settings: Record<string, unknown>): string {
  const proxy = trustedProxyOf(settings);
  for (const name of proxy.headers) {
    const raw = request.headers[name];
    const value = Array.isArray(raw) ? raw.join(',') : raw;
    if (!value) continue;
    const ip = firstIp(value, proxy.useLeftmostIP);
    if (ip) return ip;
  }
  return request.socket.remoteAddress ?? request.ip;
}

interface TrustedProxy {
  /** Lower-cased header names. */
  headers: string[];
  useLeftmostIP: boolean;
}

/** Parsed `trustedProxy`, once per settings snapshot. */
const trustedProxyOf = perSnapshot((settings: Record<string, unknown>): TrustedProxy => {
  const raw = settings.trustedProxy && typeof settings.trustedProxy === 'object' ? (settings.trustedProxy as Record<string, unknown>) : {};
  return {
    headers: Array.isArray(raw.headers) ? raw.headers.filter((h): h is string => typeof h === 'string').map((h) => h.toLowerCase()) : [],
    useLeftmostIP: raw.useLeftmostIP === true,
  };
});

/** Parsed `rateLimits`, once per settings snapshot. */
const rateLimitsOf = perSnapshot(readRateLimits);

/**
 * Registers the rate limiter: PocketBase's `rateLimits` rules (label and audience matching, per
 * client address, fixed windows in a {@link RateLimitStore}) while enabled, and Plinth's auth guard
 * on the `*:auth` routes while the general limiter is off. Over the limit: 429.
 * Call after the hook that resolves `request.auth` (audiences depend on it).
 */
export function registerRateLimits(server: FastifyInstance, app: PlinthApp, store: RateLimitStore = new MemoryRateLimitStore()): void {
  /** The rule that applies to `labels` (null: none), and the key prefix of its counters. */
  const ruleFor = (request: FastifyRequest, labels: () => string[], authAction: () => boolean): { rule: RateLimitRule; scope: string } | null => {
    const limits = rateLimitsOf(app.settings.get());
    if (limits.excludedIPs.includes(request.realIp)) return null;
    if (limits.enabled) {
      const rule = findRateLimitRule(limits.rules, labels(), ['', request.auth ? '@auth' : '@guest']);
      return rule ? { rule, scope: '' } : null;
    }
    if (limits.authGuard.enabled && authAction()) {
      // the default configuration: only the auth routes are limited, no labels to build
      return { rule: { label: '*:auth', audience: '', duration: limits.authGuard.duration, maxRequests: limits.authGuard.maxRequests }, scope: 'guard:' };
    }
    return null;
  };
  const hit = (request: FastifyRequest, { rule, scope }: { rule: RateLimitRule; scope: string }) =>
    store.hit(`${scope}${rule.label}${rule.audience}|${request.realIp}`, rule.maxRequests, rule.duration);

  server.decorateRequest('realIp', '');
  // a callback hook: the common case (no rule applies) allocates no promise
  server.addHook('onRequest', (request, _reply, done) => {
    request.realIp = realClientIp(request, app.settings.get());
    const found = ruleFor(request, () => rateLimitLabels(request), () => collectionAction(request)?.auth === true);
    if (!found) return done();
    hit(request, found).then((allowed) => done(allowed ? undefined : errors.tooManyRequests()), done);
  });
  server.decorate('checkRateLimit', async (request: FastifyRequest, labels: readonly string[], authAction: boolean) => {
    const found = ruleFor(request, () => [...labels], () => authAction);
    if (found && !(await hit(request, found))) throw errors.tooManyRequests();
  });
}
