/**
 * Client-address spoofing and server-side request forgery. X-Forwarded-For and its cousins must
 * not reset a rate-limit budget or pass a `superuserIPs` allow-list unless a trusted proxy header
 * is configured, and then only the address the proxy appended counts (CWE-348; OWASP API4:2023 and
 * API8:2023; the class of IP allow-list bypasses through a trusted-by-default header and nginx real_ip
 * misconfigurations). Webhooks must not reach loopback, private, link-local or metadata addresses
 * in any spelling, directly or through redirects (Directus CVE-2023-26492 and CVE-2024-39699:
 * SSRF in file import through DNS rebinding and redirects; OWASP API7:2023).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UndiciWebhookSender } from '../../src/adapters/webhooks/undici-webhook-sender.js';
import type { TestServer } from '../helpers/test-server.js';
import { superuserToken } from '../helpers/tokens.js';
import { call, closeTestDatabaseAdmins, projectDialect, startAttackServer } from './attack-kit.js';

let server: TestServer;

const SPOOFS: Array<[string, Record<string, string>]> = [
  ['X-Forwarded-For', { 'x-forwarded-for': '10.1.2.3' }],
  ['X-Forwarded-For with a list', { 'x-forwarded-for': '10.1.2.3, 10.1.2.3' }],
  ['X-Real-IP', { 'x-real-ip': '10.1.2.3' }],
  ['Forwarded (RFC 7239)', { forwarded: 'for=10.1.2.3' }],
  ['CF-Connecting-IP', { 'cf-connecting-ip': '10.1.2.3' }],
  ['True-Client-IP', { 'true-client-ip': '10.1.2.3' }],
  ['X-Client-IP', { 'x-client-ip': '10.1.2.3' }],
];

async function settings(patch: Record<string, unknown>): Promise<void> {
  await server.app.settings.save(patch as never);
}

afterAll(() => closeTestDatabaseAdmins());

describe.each([projectDialect()])('client-address spoofing (%s)', () => {
  beforeAll(async () => {
    server = await startAttackServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it.each(SPOOFS)('CWE-348 superuserIPs: a spoofed %s header does not pass the allow-list', async (_name, headers) => {
    await settings({ superuserIPs: ['10.1.2.3'] });
    try {
      const res = await call(server.url, 'GET', '/api/collections?perPage=1', { token: superuserToken, headers });
      expect(res.status).toBe(403);
    } finally {
      await settings({ superuserIPs: [] });
    }
  });

  it('CWE-348 superuserIPs behind a trusted proxy: a client-prepended address does not count (rightmost wins)', async () => {
    await settings({ superuserIPs: ['10.1.2.3'], trustedProxy: { headers: ['X-Forwarded-For'], useLeftmostIP: false } });
    try {
      const spoofed = await call(server.url, 'GET', '/api/collections?perPage=1', { token: superuserToken, headers: { 'x-forwarded-for': '10.1.2.3, 198.51.100.7' } });
      expect(spoofed.status).toBe(403);
      const proxied = await call(server.url, 'GET', '/api/collections?perPage=1', { token: superuserToken, headers: { 'x-forwarded-for': '198.51.100.7, 10.1.2.3' } });
      expect(proxied.status).toBe(200);
    } finally {
      await settings({ superuserIPs: [], trustedProxy: { headers: [], useLeftmostIP: false } });
    }
  });

  it.each(SPOOFS)('CWE-348 rate limits: rotating a spoofed %s header does not reset the budget', async (name, headers) => {
    const label = '/api/collections/users/request-password-reset';
    await settings({ rateLimits: { enabled: true, excludedIPs: [], rules: [{ label, audience: '', duration: 60, maxRequests: 2 }] } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const rotated = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.replace('10.1.2.3', `203.0.113.${i + 1}`)]));
        statuses.push((await call(server.url, 'POST', label, { body: { email: `${name.length}-${i}@example.com` }, headers: rotated })).status);
      }
      // the budget is the socket's: at most 2 pass (fewer when an earlier row used it up)
      expect(statuses.filter((s) => s === 204).length).toBeLessThanOrEqual(2);
      expect(statuses.slice(2)).toEqual([429, 429]);
    } finally {
      await settings({ rateLimits: { enabled: false, rules: [] } });
    }
  });

  it('CWE-348 rate limits: an excluded address cannot be claimed through a header', async () => {
    const label = '/api/collections/users/request-password-reset';
    await settings({ rateLimits: { enabled: true, excludedIPs: ['10.1.2.3'], rules: [{ label, audience: '', duration: 60, maxRequests: 1 }] } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await call(server.url, 'POST', label, { body: { email: `ex${i}@example.com` }, headers: { 'x-forwarded-for': '10.1.2.3' } })).status);
      expect(statuses.slice(1)).toEqual([429, 429]);
    } finally {
      await settings({ rateLimits: { enabled: false, excludedIPs: [], rules: [] } });
    }
  });
});

describe('webhook SSRF', () => {
  let receiver: Server;
  let port = 0;
  const hits: string[] = [];
  const sender = new UndiciWebhookSender(() => ['127.0.0.1']);
  const strict = new UndiciWebhookSender(() => []);

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      hits.push(req.url ?? '');
      const to = new URL(req.url ?? '/', 'http://x').searchParams.get('to');
      if (to) res.writeHead(302, { location: to }).end();
      else res.writeHead(200).end('ok');
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    port = (receiver.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await sender.close();
    await strict.close();
    await new Promise((resolve) => receiver.close(resolve));
  });

  /** [source, URL]: refused before any connection (every one is a loopback/private/metadata address). */
  const refused: Array<[string, string]> = [
    ['Directus CVE-2023-26492: loopback', 'http://127.0.0.1:{port}/'],
    ['Directus CVE-2023-26492: localhost by name', 'http://localhost:{port}/'],
    ['Directus CVE-2024-39699: the cloud metadata address', 'http://169.254.169.254/latest/meta-data/'],
    ['Directus CVE-2024-39699: a decimal IPv4 (2130706433)', 'http://2130706433:{port}/'],
    ['Directus CVE-2024-39699: a hex IPv4 (0x7f.1)', 'http://0x7f.1:{port}/'],
    ['Directus CVE-2024-39699: a short IPv4 (127.1)', 'http://127.1:{port}/'],
    ['Directus CVE-2024-39699: an octal IPv4 (0177.0.0.1)', 'http://0177.0.0.1:{port}/'],
    ['Directus CVE-2024-39699: IPv4-mapped IPv6', 'http://[::ffff:127.0.0.1]:{port}/'],
    ['Directus CVE-2024-39699: IPv6 loopback', 'http://[::1]:{port}/'],
    ['Directus CVE-2024-39699: the unspecified address 0.0.0.0', 'http://0.0.0.0:{port}/'],
    ['OWASP API7:2023 a private 10/8 address', 'http://10.0.0.1/'],
    ['OWASP API7:2023 a private 192.168/16 address', 'http://192.168.1.1/'],
    ['OWASP API7:2023 a NAT64 address embedding loopback', 'http://[64:ff9b::7f00:1]/'],
    ['OWASP API7:2023 a 6to4 address embedding a private one', 'http://[2002:0a00:0001::1]/'],
    ['OWASP API7:2023 an IPv6 link-local address', 'http://[fe80::1]/'],
  ];

  it.each(refused)('%s is refused with no connection', async (_source, template) => {
    const before = hits.length;
    const result = await strict.send(template.replace('{port}', String(port)), { 'content-type': 'application/json' }, '{}', 2000);
    expect(result.status).toBe(0);
    expect(result.error).toMatch(/may not reach|not an IP|refused|ENOTFOUND|EAI_AGAIN/);
    expect(hits.length).toBe(before);
  });

  it.each([
    ['Directus CVE-2024-39699: a redirect from an allowed receiver to another loopback address', 'http://127.0.0.2:{port}/final'],
    ['Directus CVE-2024-39699: a redirect to the metadata address', 'http://169.254.169.254/latest/meta-data/'],
    ['Directus CVE-2024-39699: a redirect to a private address', 'http://10.0.0.1/'],
    ['OWASP API7:2023 a redirect to a file: URL', 'file:///etc/passwd'],
  ])('%s is not followed', async (_source, to) => {
    hits.length = 0;
    const target = to.replace('{port}', String(port));
    const result = await sender.send(`http://127.0.0.1:${port}/r?to=${encodeURIComponent(target)}`, {}, '{}', 2000);
    expect(result.error).not.toBe('');
    expect(hits.filter((h) => h.startsWith('/final'))).toEqual([]);
    expect(hits).toHaveLength(1);
  });

  it('OWASP API7:2023 a redirect loop stops after 3 hops', async () => {
    hits.length = 0;
    const loop = `http://127.0.0.1:${port}/r?to=${encodeURIComponent(`http://127.0.0.1:${port}/r?to=${encodeURIComponent(`http://127.0.0.1:${port}/r?to=${encodeURIComponent(`http://127.0.0.1:${port}/r?to=${encodeURIComponent(`http://127.0.0.1:${port}/r?to=x`)}`)}`)}`)}`;
    const result = await sender.send(loop, {}, '{}', 2000);
    expect(result.error).toContain('redirects');
    expect(hits.length).toBeLessThanOrEqual(4);
  });

  it('control: an allowed receiver gets the delivery', async () => {
    const result = await sender.send(`http://127.0.0.1:${port}/ok`, {}, '{}', 2000);
    expect(result).toMatchObject({ status: 200, error: '' });
  });
});
