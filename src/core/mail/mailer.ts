/** An address with an optional display name. */
export interface MailAddress {
  address: string;
  name?: string;
}

/** One outgoing mail, already rendered. */
export interface MailMessage {
  from: MailAddress;
  to: MailAddress[];
  subject: string;
  html: string;
  /** Plain-text alternative; derived from `html` by the adapter when empty. */
  text?: string;
  /** Why the mail is sent (`verification`, `passwordReset`, `emailChange`, `otp`, `authAlert`…), for logs and tests. */
  kind?: string;
}

/**
 * The mail port of the core. Adapters (src/adapters/mail) deliver through SMTP or write the mail
 * to the log when SMTP is off. `send` rejects when delivery fails.
 */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/** The SMTP part of PocketBase's settings (`settings.smtp`). */
export interface SmtpSettings {
  enabled: boolean;
  host: string;
  port: number;
  username: string;
  password: string;
  /** `PLAIN` (default) or `LOGIN`. */
  authMethod: string;
  /** Implicit TLS (port 465 style); otherwise STARTTLS is used when the server offers it. */
  tls: boolean;
  /** The EHLO/HELO name; empty for the default. */
  localName: string;
}

function obj(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Reads `settings.smtp` with PocketBase's defaults. */
export function readSmtpSettings(settings: Record<string, unknown>): SmtpSettings {
  const s = obj(settings.smtp);
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    enabled: s.enabled === true,
    host: str(s.host),
    port: typeof s.port === 'number' ? s.port : 587,
    username: str(s.username),
    password: str(s.password),
    authMethod: str(s.authMethod),
    tls: s.tls === true,
    localName: str(s.localName),
  };
}
