import type { Mailer, MailMessage } from '../../core/mail/mailer.js';
import { htmlToText } from './html-to-text.js';

/**
 * Writes mails to the log instead of sending them: what Plinth does while SMTP is off, so that
 * verification links and one-time passwords can be read from the console in local development.
 */
export class LogMailer implements Mailer {
  readonly #write: (text: string) => void;

  constructor(write: (text: string) => void = (text) => console.info(text)) {
    this.#write = write;
  }

  async send(message: MailMessage): Promise<void> {
    const to = message.to.map((a) => a.address).join(', ');
    this.#write(
      `[mail] SMTP is off, the ${message.kind ?? ''} mail is logged instead of sent\n` +
      `  From: ${message.from.name ? `${message.from.name} <${message.from.address}>` : message.from.address}\n` +
      `  To: ${to}\n  Subject: ${message.subject}\n\n${message.text || htmlToText(message.html)}\n`,
    );
  }
}
