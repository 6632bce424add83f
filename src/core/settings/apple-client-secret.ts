import { errors, type ErrorData } from '../errors/plinth-error.js';
import { ozzo } from '../fields/field-errors.js';

const PRIVATE_KEY = /^-----BEGIN PRIVATE KEY-----[\s\S]+-----END PRIVATE KEY-----\s*$/;
/** Apple's limit for a client secret's lifetime: 6 months, in seconds. */
const MAX_DURATION = 15_777_000;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const exactLength = (value: string, n: number) =>
  [...value].length === n ? null : { code: 'validation_length_invalid', message: `The length must be exactly ${n}.`, params: { length: n } };

/**
 * `POST /api/settings/apple/generate-client-secret`: the ES256 JWT Apple's OAuth2 flow takes as
 * the client secret, from the team id, key id and the `.p8` private key (PocketBase's form).
 */
export async function generateAppleClientSecret(body: Record<string, unknown>): Promise<string> {
  const clientId = str(body.clientId);
  const teamId = str(body.teamId);
  const keyId = str(body.keyId);
  const privateKey = str(body.privateKey).trim();
  const duration = typeof body.duration === 'number' ? body.duration : 0;
  const data: ErrorData = {};
  const set = (k: string, e: ErrorData[string] | null) => {
    if (e) data[k] = e;
  };
  set('clientId', clientId === '' ? ozzo.required() : null);
  set('teamId', teamId === '' ? ozzo.required() : exactLength(teamId, 10));
  set('keyId', keyId === '' ? ozzo.required() : exactLength(keyId, 10));
  set('privateKey', privateKey === '' ? ozzo.required() : PRIVATE_KEY.test(privateKey) ? null : ozzo.match());
  set('duration', duration === 0 ? ozzo.required() : duration < 1 ? ozzo.min(1) : duration > MAX_DURATION ? ozzo.max(MAX_DURATION) : null);
  if (Object.keys(data).length > 0) throw errors.badRequest('Invalid client secret data.', data);
  try {
    // the whole of jose only for this rare superuser action (a server never loads it otherwise)
    const { SignJWT, importPKCS8 } = await import('jose');
    const key = await importPKCS8(privateKey, 'ES256');
    const now = Math.floor(Date.now() / 1000);
    return await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: keyId })
      .setIssuer(teamId)
      .setIssuedAt(now)
      .setExpirationTime(now + Math.trunc(duration))
      .setAudience('https://appleid.apple.com')
      .setSubject(clientId)
      .sign(key);
  } catch (err) {
    throw errors.badRequest(`Failed to generate client secret. Raw error: \n${(err as Error).message}`, {}, err);
  }
}
