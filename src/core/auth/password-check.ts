import bcrypt from 'bcrypt';

/** PocketBase's default bcrypt cost (Go's `bcrypt.DefaultCost`). */
const DEFAULT_COST = 10;
const BCRYPT_HASH = /^\$2[abxy]?\$(\d{2})\$[./A-Za-z0-9]{53}$/;

const dummyHashes = new Map<number, Promise<string>>();
let lastSeenCost = DEFAULT_COST;

function costOf(hash: string): number | undefined {
  const match = BCRYPT_HASH.exec(hash);
  return match ? Number(match[1]) : undefined;
}

function dummyHash(cost: number): Promise<string> {
  let hash = dummyHashes.get(cost);
  if (!hash) {
    hash = bcrypt.hash(`plinth-dummy-${Math.random()}`, cost);
    dummyHashes.set(cost, hash);
  }
  return hash;
}

/**
 * Checks a plain password against a stored bcrypt hash (PocketBase writes `$2a$`, which bcrypt
 * verifies as is). bcrypt's own comparison runs in constant time for a given cost.
 */
export async function verifyPassword(plain: string, hash: unknown): Promise<boolean> {
  if (typeof hash !== 'string' || !plain) {
    await burnPasswordCheck(plain);
    return false;
  }
  const cost = costOf(hash);
  if (cost === undefined) {
    await burnPasswordCheck(plain);
    return false;
  }
  lastSeenCost = cost;
  try {
    return await bcrypt.compare(plain, hash);
  } catch {
    return false;
  }
}

/**
 * Spends about the time of a real check for a sign-in whose identity does not exist, so that
 * the answer and its timing are the same for unknown accounts and wrong passwords. Uses a dummy
 * hash of the cost last seen on a real hash (the cost of the data dir's own hashes).
 */
export async function burnPasswordCheck(plain: string): Promise<void> {
  try {
    await bcrypt.compare(plain || 'x', await dummyHash(lastSeenCost));
  } catch {
    // never matters: the answer is "no" either way
  }
}

/** Hashes a password with bcrypt at PocketBase's default cost. */
export function hashPassword(plain: string, cost = DEFAULT_COST): Promise<string> {
  return bcrypt.hash(plain, cost);
}
