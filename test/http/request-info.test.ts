import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { buildRequestInfo, clientIp } from '../../src/http/request-info.js';

function fakeRequest(realIp: string, ip: string): FastifyRequest {
  return { auth: null, method: 'post', headers: { 'X-Token': 'a' }, query: { q: ['1', '2'] }, realIp, ip } as unknown as FastifyRequest;
}

describe('buildRequestInfo', () => {
  // regression: realIp was never set, so `_authOrigins` fingerprints and the auth alert mail had no IP
  it('carries the resolved client address to the core', () => {
    const info = buildRequestInfo(fakeRequest('203.0.113.9', '10.0.0.1'), { a: 1 }, 'password');
    expect(info).toEqual({
      auth: null, method: 'POST', headers: { x_token: 'a' }, query: { q: '1' }, body: { a: 1 }, context: 'password', realIp: '203.0.113.9',
    });
  });

  it('falls back to the socket address before the rate-limit hook resolved realIp', () => {
    expect(clientIp(fakeRequest('', '10.0.0.1'))).toBe('10.0.0.1');
  });
});
