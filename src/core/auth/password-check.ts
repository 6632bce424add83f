import { BCRYPT_DEFAULT_COST, bcryptCost, hashPassword, verifyPassword as verifyHash } from '../fields/password-field.js';

/*
 * The sign-in side of passwords: the password field (src/core/fields/password-field.ts) owns
 * bcrypt (hashing, comparing, the hash format); this module only adds the timing equaliser that
 * makes unknown accounts and wrong passwords cost the same.
 */

const dummyHashes = new Map<number, Promise<string>>();
let lastSeenCost = BCRYPT_DEFAULT_COST;

function dummyHash(cost: number): Promise<string> {
  let hash = dummyHashes.get(cost);
  if (!hash) {
    hash = hashPassword(`plinth-dummy-${Math.random()}`, { cost });
    dummyHashes.set(cost, hash);
  }
  return hash;
}

/**
 * Checks a plain password against a stored bcrypt hash (PocketBase writes `$2a$`, which bcrypt
 * verifies as is). A missing password or a value that is not a bcrypt hash still spends the
 * time of a real check. bcrypt's own comparison runs in constant time for a given cost.
 */
export async function verifyPassword(plain: string, hash: unknown): Promise<boolean> {
  const cost = plain ? bcryptCost(hash) : undefined;
  if (cost === undefined) {
    await burnPasswordCheck(plain);
    return false;
  }
  lastSeenCost = cost;
  return verifyHash(plain, hash);
}

/**
 * Spends about the time of a real check for a sign-in whose identity does not exist, so that
 * the answer and its timing are the same for unknown accounts and wrong passwords. Uses a dummy
 * hash of the cost last seen on a real hash (the cost of the data dir's own hashes).
 */
export async function burnPasswordCheck(plain: string): Promise<void> {
  try {
    await verifyHash(plain || 'x', await dummyHash(lastSeenCost));
  } catch {
    // never matters: the answer is "no" either way
  }
}
