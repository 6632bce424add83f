// jose's JWT entry points, not its index: the index loads JWE, JWKS and key import too (~25 ms of start-up)
import { decodeJwt } from 'jose/jwt/decode';
import { SignJWT } from 'jose/jwt/sign';
import { jwtVerify } from 'jose/jwt/verify';

/** Token types PocketBase issues for auth records. */
export type TokenType = 'auth' | 'file' | 'verification' | 'passwordReset' | 'emailChange';

/** The claims every record token carries, as PocketBase writes them. */
export interface RecordTokenClaims {
  id: string;
  type: string;
  collectionId: string;
  refreshable?: boolean;
  exp?: number;
  [claim: string]: unknown;
}

const encoder = new TextEncoder();

/** Strips an optional, case-insensitive `Bearer ` prefix, as PocketBase does. */
export function tokenFromHeader(header: string | undefined): string {
  if (!header) return '';
  if (header.length > 7 && header.slice(0, 7).toLowerCase() === 'bearer ') return header.slice(7);
  return header;
}

/**
 * Reads the claims without checking the signature: only to find which record and collection
 * the token claims to be for. Returns null for anything that is not a JWT with the required
 * string claims `id`, `collectionId` and `type`.
 */
export function decodeUnverified(token: string): RecordTokenClaims | null {
  try {
    const claims = decodeJwt(token);
    const { id, collectionId, type } = claims as Record<string, unknown>;
    if (typeof id !== 'string' || typeof collectionId !== 'string' || typeof type !== 'string') return null;
    if (!id || !collectionId || !type) return null;
    return claims as RecordTokenClaims;
  } catch {
    return null;
  }
}

/**
 * Signs claims as an HS256 JWT valid for `durationSeconds` (PocketBase's `security.NewJWT`).
 * The key is `record.tokenKey + collection secret`; an empty key is refused.
 */
export async function signRecordToken(
  claims: RecordTokenClaims,
  signingKey: string,
  durationSeconds: number,
): Promise<string> {
  if (!signingKey) throw new Error('missing or invalid signing key');
  const { exp: _exp, ...rest } = claims;
  const exp = Math.floor(Date.now() / 1000) + Math.max(1, Math.floor(durationSeconds));
  return new SignJWT({ ...rest, exp }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(encoder.encode(signingKey));
}

/**
 * Verifies an HS256 token with the given key: signature, `exp` (required) and algorithm. Every
 * other algorithm (`none`, HS384, RS256…) is rejected. Returns the verified claims, or null.
 */
export async function verifyRecordToken(token: string, signingKey: string): Promise<RecordTokenClaims | null> {
  if (!signingKey) return null;
  try {
    const { payload } = await jwtVerify(token, encoder.encode(signingKey), {
      algorithms: ['HS256'],
      requiredClaims: ['exp'],
    });
    return payload as RecordTokenClaims;
  } catch {
    return null;
  }
}
