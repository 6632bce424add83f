import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { newWebhookSecret, secretKey, signWebhook } from '../../../src/core/webhooks/webhook-signature.js';
import { DEFAULT_WEBHOOK_WORKER, retryDelay } from '../../../src/core/webhooks/webhook-worker.js';

describe('webhook signatures', () => {
  it('match the standardwebhooks package, and verify there', () => {
    const secret = newWebhookSecret();
    expect(secretKey(secret)?.length).toBe(32);
    const body = JSON.stringify({ type: 'record.created', data: { a: 'ü' } });
    const timestamp = 1_700_000_000;
    const ours = signWebhook([{ value: secret, expires: 0 }], 'msg_1', timestamp, body);
    expect(ours).toBe(new Webhook(secret).sign('msg_1', new Date(timestamp * 1000), body));
    const now = Math.floor(Date.now() / 1000);
    const headers = { 'webhook-id': 'msg_2', 'webhook-timestamp': String(now), 'webhook-signature': signWebhook([{ value: secret, expires: 0 }], 'msg_2', now, body) };
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('sign with every secret still valid, space-separated, and drop expired ones', () => {
    const [a, b, c] = [newWebhookSecret(), newWebhookSecret(), newWebhookSecret()];
    const now = Date.now();
    const header = signWebhook([{ value: a, expires: 0 }, { value: b, expires: now + 1000 }, { value: c, expires: now - 1 }], 'id', 1, 'x', now);
    expect(header.split(' ')).toHaveLength(2);
    expect(header.split(' ').every((s) => s.startsWith('v1,'))).toBe(true);
  });

  it.each(['', 'whsec_', 'secret', 'whsec_!!!!', `whsec_${Buffer.alloc(16).toString('base64')}`, `whsec_${Buffer.alloc(65).toString('base64')}`])('refuse the malformed secret %j', (secret) => {
    expect(secretKey(secret)).toBeNull();
  });
});

describe('the default retry schedule', () => {
  it('doubles from 5 s and keeps trying for longer than a 10-minute outage', () => {
    const { retry } = DEFAULT_WEBHOOK_WORKER;
    const delays = Array.from({ length: retry.maxAttempts - 1 }, (_, i) => retryDelay(retry, i + 1));
    expect(delays.slice(0, 4)).toEqual([5000, 10_000, 20_000, 40_000]);
    const total = delays.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(30 * 60_000);
    expect(retryDelay(retry, 30)).toBe(retry.maxDelayMs);
  });
});
