import type { CollectionModel } from '../collections/collection-model.js';
import { DEFAULT_TEMPLATES } from '../collections/auth-options.js';
import type { RecordData } from '../request-info.js';

/** A subject and an HTML body with PocketBase's `{PLACEHOLDERS}`. */
export interface EmailTemplate {
  subject: string;
  body: string;
}

/** The mails an auth collection sends, keyed as Plinth names them. */
export type RecordMailKind = 'verification' | 'passwordReset' | 'emailChange' | 'otp' | 'authAlert';

const TEMPLATE_PATHS: Record<RecordMailKind, { path: string[]; fallback: EmailTemplate }> = {
  verification: { path: ['verificationTemplate'], fallback: DEFAULT_TEMPLATES.verification },
  passwordReset: { path: ['resetPasswordTemplate'], fallback: DEFAULT_TEMPLATES.resetPassword },
  emailChange: { path: ['confirmEmailChangeTemplate'], fallback: DEFAULT_TEMPLATES.confirmEmailChange },
  otp: { path: ['otp', 'emailTemplate'], fallback: DEFAULT_TEMPLATES.otp },
  authAlert: { path: ['authAlert', 'emailTemplate'], fallback: DEFAULT_TEMPLATES.authAlert },
};

/** The collection's template for a mail kind (its options, or PocketBase's default). */
export function collectionTemplate(collection: CollectionModel, kind: RecordMailKind): EmailTemplate {
  const { path, fallback } = TEMPLATE_PATHS[kind];
  let node: unknown = collection.options;
  for (const key of path) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  const t = node && typeof node === 'object' ? (node as Record<string, unknown>) : {};
  const subject = typeof t.subject === 'string' && t.subject !== '' ? t.subject : fallback.subject;
  const body = typeof t.body === 'string' && t.body !== '' ? t.body : fallback.body;
  return { subject, body };
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };

/** Go's `html.EscapeString`. */
function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * The placeholders of a record mail: `{APP_NAME}`, `{APP_URL}`, `{RECORD:<field>}` for every
 * non-hidden field (HTML-escaped, as PocketBase does; hidden fields such as `tokenKey` stay
 * unresolved), plus the mail's own (`{TOKEN}`, `{OTP}`, `{OTP_ID}`, `{ALERT_INFO}`).
 */
export function recordPlaceholders(
  collection: CollectionModel,
  record: RecordData,
  meta: { appName: string; appURL: string },
  extra: Record<string, string> = {},
): Record<string, string> {
  const out: Record<string, string> = { '{APP_NAME}': meta.appName, '{APP_URL}': meta.appURL };
  for (const field of collection.fields) {
    if (field.hidden) continue;
    out[`{RECORD:${field.name}}`] = escapeHtml(asText(field.name === 'id' ? record.id : record[field.name]));
  }
  return { ...out, ...extra };
}

/** Replaces every placeholder in the subject and the body (PocketBase's `EmailTemplate.Resolve`). */
export function resolveTemplate(template: EmailTemplate, placeholders: Record<string, string>): EmailTemplate {
  let { subject, body } = template;
  for (const [key, value] of Object.entries(placeholders)) {
    subject = subject.replaceAll(key, value);
    body = body.replaceAll(key, value);
  }
  return { subject, body };
}
