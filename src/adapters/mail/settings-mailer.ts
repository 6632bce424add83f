import { readSmtpSettings, type Mailer, type MailMessage } from '../../core/mail/mailer.js';
import { LogMailer } from './log-mailer.js';
import type * as SmtpModule from './smtp-mailer.js';
import type { SmtpMailer } from './smtp-mailer.js';

let smtpModule: Promise<typeof SmtpModule> | null = null;

/** The SMTP mailer (and nodemailer, ~15 MB resident) is imported for the first SMTP mail only. */
function loadSmtpMailer(): Promise<typeof SmtpModule> {
  smtpModule ??= import('./smtp-mailer.js').catch((err: unknown) => {
    smtpModule = null;
    throw err;
  });
  return smtpModule;
}

/**
 * Follows the live settings: SMTP through {@link SmtpMailer} while `smtp.enabled` is set (a new
 * transport whenever the SMTP settings change), the log otherwise.
 */
export class SettingsMailer implements Mailer {
  readonly #settings: () => Record<string, unknown>;
  readonly #log: Mailer;
  #smtp: { key: string; mailer: SmtpMailer } | null = null;

  constructor(settings: () => Record<string, unknown>, log: Mailer = new LogMailer()) {
    this.#settings = settings;
    this.#log = log;
  }

  async send(message: MailMessage): Promise<void> {
    const smtp = readSmtpSettings(this.#settings());
    if (!smtp.enabled) return this.#log.send(message);
    const key = JSON.stringify(smtp);
    if (this.#smtp?.key !== key) {
      const { SmtpMailer: Smtp } = await loadSmtpMailer();
      if (this.#smtp?.key !== key) {
        this.#smtp?.mailer.close();
        this.#smtp = { key, mailer: new Smtp(smtp) };
      }
    }
    return this.#smtp.mailer.send(message);
  }

  close(): void {
    this.#smtp?.mailer.close();
    this.#smtp = null;
  }
}
