import nodemailer, { type Transporter } from 'nodemailer';
import type { MailAddress, Mailer, MailMessage, SmtpSettings } from '../../core/mail/mailer.js';
import { htmlToText } from './html-to-text.js';

function formatAddress(a: MailAddress): { name: string; address: string } | string {
  return a.name ? { name: a.name, address: a.address } : a.address;
}

/**
 * Delivers mails through an SMTP server with nodemailer, configured like PocketBase's `smtp`
 * settings: `tls` is implicit TLS (port 465 style); otherwise nodemailer upgrades with STARTTLS
 * when the server offers it. `authMethod` is `PLAIN` (default) or `LOGIN`.
 */
export class SmtpMailer implements Mailer {
  readonly #transport: Transporter;

  constructor(config: SmtpSettings) {
    this.#transport = nodemailer.createTransport({
      host: config.host,
      port: config.port,
      secure: config.tls,
      name: config.localName || undefined,
      auth: config.username ? { user: config.username, pass: config.password } : undefined,
      authMethod: config.authMethod ? config.authMethod.toUpperCase() : undefined,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 30_000,
    });
  }

  async send(message: MailMessage): Promise<void> {
    await this.#transport.sendMail({
      from: formatAddress(message.from),
      to: message.to.map(formatAddress),
      subject: message.subject,
      html: message.html,
      text: message.text || htmlToText(message.html),
    });
  }

  /** Closes pooled connections (none by default; kept for symmetry). */
  close(): void {
    this.#transport.close();
  }
}
