import { describe, expect, it } from 'vitest';
import { findRateLimitRule, readRateLimits, type RateLimitRule } from '../../../src/core/auth/rate-limit-rules.js';

const rule = (label: string, audience = '', maxRequests = 1): RateLimitRule => ({ label, audience, duration: 1, maxRequests });

describe('findRateLimitRule (PocketBase label matching)', () => {
  const rules = [rule('*:auth'), rule('users:create'), rule('*:create'), rule('/api/batch'), rule('/api/'), rule('POST /api/collections/'), rule('/api/files/', '@guest')];
  const labels = (collection: string, action: string, auth: boolean, method: string, path: string) => [
    `${collection}:${action}`, `*:${action}`, ...(auth ? [`${collection}:auth`, '*:auth'] : []), `${method} ${path}`, path,
  ];

  it.each([
    ['a collection-specific label first', labels('users', 'create', false, 'POST', '/api/collections/users/records'), ['', '@guest'], 'users:create'],
    ['the wildcard collection label', labels('posts', 'create', false, 'POST', '/api/collections/posts/records'), ['', '@guest'], '*:create'],
    ['the auth tag', labels('users', 'authWithPassword', true, 'POST', '/api/collections/users/auth-with-password'), ['', '@guest'], '*:auth'],
    ['an exact path', ['POST /api/batch', '/api/batch'], ['', '@guest'], '/api/batch'],
    ['a method + prefix rule before a bare prefix', ['POST /api/collections/x/records', '/api/collections/x/records'], ['', '@auth'], 'POST /api/collections/'],
    ['a bare prefix', ['GET /api/health', '/api/health'], ['', '@auth'], '/api/'],
    ['an audience-restricted rule for guests', ['GET /api/files/a/b/c.png', '/api/files/a/b/c.png'], ['', '@guest'], '/api/files/'],
    ['the next rule when the audience does not match', ['GET /api/files/a/b/c.png', '/api/files/a/b/c.png'], ['', '@auth'], '/api/'],
  ])('finds %s', (_name, searchLabels, audiences, expected) => {
    expect(findRateLimitRule(rules, searchLabels, audiences)?.label).toBe(expected);
  });

  it('finds nothing outside /api/', () => {
    expect(findRateLimitRule(rules, ['GET /_/', '/_/'], [''])).toBeNull();
  });
});

describe('readRateLimits', () => {
  it('keeps PocketBase settings and turns the auth guard on unless disabled', () => {
    const read = readRateLimits({ rateLimits: { enabled: false, rules: [{ label: '*:auth', audience: '', duration: 3, maxRequests: 2 }], excludedIPs: ['10.0.0.1'] } });
    expect(read.enabled).toBe(false);
    expect(read.rules).toHaveLength(1);
    expect(read.excludedIPs).toEqual(['10.0.0.1']);
    expect(read.authGuard).toEqual({ enabled: true, duration: 10, maxRequests: 20 });
    expect(readRateLimits({ rateLimits: { authGuard: { enabled: false } } }).authGuard.enabled).toBe(false);
  });
});
