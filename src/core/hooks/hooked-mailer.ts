import type { PlinthApp } from '../app.js';
import type { Mailer, MailMessage } from '../mail/mailer.js';
import type { HookRegistry } from './hook-registry.js';

/**
 * A mailer that runs the `onMailerSend` hooks first: they may change the message or cancel it.
 * A hook's error fails the send as the inner mailer's would.
 */
export class HookedMailer implements Mailer {
  constructor(private readonly inner: Mailer, private readonly hooks: HookRegistry) {}

  async send(message: MailMessage): Promise<void> {
    if (!this.hooks.has('mailerSend')) return this.inner.send(message);
    let cancelled = false;
    const event = { app: this.hooks.app as PlinthApp, message: { ...message, to: [...message.to] }, cancel: () => void (cancelled = true) };
    await this.hooks.run('mailerSend', event);
    if (!cancelled) await this.inner.send(event.message);
  }
}
