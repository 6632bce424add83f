import { randomInt } from 'node:crypto';
import { crc32 } from 'node:zlib';

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const LOWER_ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A cryptographically random string over `alphabet` (PocketBase's `security.RandomString`). */
export function randomString(length: number, alphabet: string = ALPHANUMERIC): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** A random lower-case alphanumeric string, e.g. for generated index names. */
export function randomLowerString(length: number): string {
  return randomString(length, LOWER_ALPHANUMERIC);
}

/** PocketBase's default collection id: `pbc_` + crc32(type + name). */
export function defaultCollectionId(type: string, name: string): string {
  return `pbc_${crc32(type + name)}`;
}

/** The current time in PocketBase's datetime format: `2006-01-02 15:04:05.000Z`. */
export function nowDateTime(): string {
  return new Date().toISOString().replace('T', ' ');
}
