import { createHmac, randomBytes } from 'node:crypto';
import type { WebhookSecret } from './webhook-model.js';

/** Standard Webhooks' secret prefix: `whsec_` then the base64 of the key bytes. */
export const SECRET_PREFIX = 'whsec_';
const SECRET_FORMAT = /^whsec_([A-Za-z0-9+/]+={0,2})$/;

/** A new random secret (32 bytes). */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

/** The key bytes of a `whsec_` secret, or null when it is malformed or not 24–64 bytes long. */
export function secretKey(secret: string): Buffer | null {
  const match = SECRET_FORMAT.exec(secret);
  if (!match) return null;
  const key = Buffer.from(match[1] ?? '', 'base64');
  return key.length >= 24 && key.length <= 64 ? key : null;
}

/**
 * The `webhook-signature` header of Standard Webhooks: `v1,<base64 HMAC-SHA256 of
 * "id.timestamp.body">` for each secret still valid at `now` (ms), space-separated.
 */
export function signWebhook(secrets: readonly WebhookSecret[], id: string, timestamp: number, body: string, now = Date.now()): string {
  const content = `${id}.${timestamp}.${body}`;
  return secrets
    .filter((s) => s.expires === 0 || s.expires > now)
    .map((s) => `v1,${createHmac('sha256', secretKey(s.value) ?? Buffer.alloc(0)).update(content).digest('base64')}`)
    .join(' ');
}
