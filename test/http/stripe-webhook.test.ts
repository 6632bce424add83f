/**
 * The inbound Stripe webhook example (examples/hooks/stripe-webhook.ts) on a real server: a
 * payload signed with the test secret marks the order paid; tampered or unsigned ones are 400s
 * and change nothing. Signatures come from the `stripe` package itself.
 */
import { copyFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../helpers/fixture-copy.js';
import { repoRoot } from '../helpers/paths.js';
import { sdkClient } from '../helpers/sdk-clients.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { superuserToken } from '../helpers/tokens.js';

const SECRET = 'whsec_test_plinth_example';
const stripe = new Stripe('sk_unused');
let server: TestServer;
let hooksDir: string;
let previousSecret: string | undefined;

const completed = (orderId: string, amount = 4200) => JSON.stringify({
  id: 'evt_test_1', object: 'event', type: 'checkout.session.completed', api_version: '2025-01-27', created: Math.floor(Date.now() / 1000),
  data: { object: { id: 'cs_test_123', object: 'checkout.session', client_reference_id: orderId, amount_total: amount } },
}, null, 2);

const post = (payload: string, headers: Record<string, string>) => fetch(`${server.url}/api/stripe/webhook`, {
  method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: payload,
});

async function newOrder(): Promise<string> {
  return (await sdkClient(server.url, superuserToken).collection('orders').create({ status: 'pending' })).id;
}

const orderOf = (id: string) => sdkClient(server.url, superuserToken).collection('orders').getOne(id);

beforeAll(async () => {
  previousSecret = process.env.STRIPE_WEBHOOK_SECRET;
  process.env.STRIPE_WEBHOOK_SECRET = SECRET;
  // as a user would: the example copied into plinth_hooks, with `stripe` installed beside it
  hooksDir = makeTempDir('plinth-stripe-hooks-');
  copyFileSync(join(repoRoot(), 'examples', 'hooks', 'stripe-webhook.ts'), join(hooksDir, 'stripe-webhook.ts'));
  mkdirSync(join(hooksDir, 'node_modules'));
  symlinkSync(join(repoRoot(), 'node_modules', 'stripe'), join(hooksDir, 'node_modules', 'stripe'), 'dir');
  server = await startTestServer({ fixture: true, hooksDir });
  await sdkClient(server.url, superuserToken).collections.create({
    name: 'orders', type: 'base', fields: [{ type: 'text', name: 'status' }, { type: 'text', name: 'stripeSession' }],
  });
});

afterAll(async () => {
  await server?.close();
  if (hooksDir) removeDir(hooksDir);
  if (previousSecret === undefined) delete process.env.STRIPE_WEBHOOK_SECRET;
  else process.env.STRIPE_WEBHOOK_SECRET = previousSecret;
});

describe('stripe webhook example', () => {
  it('a payload signed with the endpoint secret marks the order paid', async () => {
    const id = await newOrder();
    const payload = completed(id);
    const res = await post(payload, { 'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET }) });
    expect([res.status, await res.json()]).toEqual([200, { received: true }]);
    const order = await orderOf(id);
    expect([order.status, order.stripeSession]).toEqual(['paid', 'cs_test_123']);
  });

  it.each([
    { name: 'a tampered payload', sign: (payload: string) => stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET }), tamper: true },
    { name: 'another secret', sign: (payload: string) => stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_other' }), tamper: false },
    { name: 'an expired timestamp', sign: (payload: string) => stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET, timestamp: Math.floor(Date.now() / 1000) - 3600 }), tamper: false },
    { name: 'no signature header', sign: () => '', tamper: false },
  ])('$name: 400 and nothing changed', async ({ sign, tamper }) => {
    const id = await newOrder();
    const payload = completed(id);
    const signature = sign(payload);
    const sent = tamper ? completed(id, 1) : payload;
    const res = await post(sent, signature ? { 'stripe-signature': signature } : {});
    expect([res.status, await res.json()]).toEqual([400, { status: 400, message: 'Invalid Stripe signature.', data: {} }]);
    expect((await orderOf(id)).status).toBe('pending');
  });

  it('other event types are acknowledged and ignored', async () => {
    const payload = JSON.stringify({ id: 'evt_2', object: 'event', type: 'invoice.paid', data: { object: { id: 'in_1' } } });
    const res = await post(payload, { 'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET }) });
    expect([res.status, await res.json()]).toEqual([200, { received: true, ignored: 'invoice.paid' }]);
  });
});
