/**
 * Inbound Stripe webhooks: marks an `orders` record paid when Stripe reports a completed
 * checkout. Copy this file into plinth_hooks/, `npm install stripe` there (or in the project),
 * and set STRIPE_WEBHOOK_SECRET (`whsec_…`, from the Stripe dashboard or `stripe listen`).
 *
 * The `orders` collection needs text fields `status` and `stripeSession`; the checkout session
 * is created with `client_reference_id` set to the order's id.
 */
import Stripe from 'stripe';
import type { PlinthHooks } from 'plinth';

// only webhooks.constructEvent is used: it checks the signature locally, no API call, no key needed
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY || 'sk_unused');

export default function stripeWebhook(plinth: PlinthHooks): void {
  plinth.routerAdd('POST', '/api/stripe/webhook', async (e) => {
    let event: Stripe.Event;
    try {
      // the raw body, exactly as Stripe signed it; parsing and re-serializing would break the signature
      event = stripe.webhooks.constructEvent(e.rawBody, e.headers['stripe-signature'] ?? '', process.env.STRIPE_WEBHOOK_SECRET ?? '');
    } catch {
      throw new plinth.HookError(400, 'Invalid Stripe signature.');
    }
    if (event.type !== 'checkout.session.completed') return { received: true, ignored: event.type };

    const session = event.data.object;
    const orders = plinth.app.records.collection('orders');
    const order = session.client_reference_id ? await plinth.app.records.findById(orders, session.client_reference_id) : null;
    if (!order) throw new plinth.HookError(404, 'Unknown order.');
    // the system-level update: a webhook has no user, so no collection rule applies
    await plinth.app.records.updateSystem(orders, order.id, { status: 'paid', stripeSession: session.id });
    return { received: true };
  });
}
