import { describe, expect, it } from 'vitest';
import { hashPassword, isBcryptHash, passwordField, verifyPassword } from '../../../src/core/fields/password-field.js';
import { normalizeField } from '../../../src/core/fields/field-registry.js';
import type { PasswordFieldModel } from '../../../src/core/fields/password-field.js';

// `select password from users limit 1` in the PocketBase fixture; the users' password is 1234567890
const POCKETBASE_HASH = '$2a$13$uULN32dHTkWQIALJP1N54.22HW/K9/qkXqcmsfz2hOA1wGeuUDbfG';

describe('password hashing (bcrypt, PocketBase-compatible)', () => {
  it('verifies a hash written by PocketBase', async () => {
    expect(await passwordField.verify('1234567890', POCKETBASE_HASH)).toBe(true);
    expect(await passwordField.verify('1234567891', POCKETBASE_HASH)).toBe(false);
  });

  it('hashes in the $2a$ form with the field cost (default 10) and verifies', async () => {
    const field = normalizeField({ type: 'password', name: 'password', cost: 4 }) as PasswordFieldModel;
    const hash = await passwordField.hash('secret-pass', field);
    expect(hash).toMatch(/^\$2a\$04\$/);
    expect(isBcryptHash(hash)).toBe(true);
    expect(await verifyPassword('secret-pass', hash)).toBe(true);
    expect(await hashPassword('x')).toMatch(/^\$2a\$10\$/);
  });

  it('verify is false for empty or malformed hashes, never throws', async () => {
    expect(await verifyPassword('x', '')).toBe(false);
    expect(await verifyPassword('x', 'plain')).toBe(false);
    expect(await verifyPassword('x', '$2a$10$short')).toBe(false);
  });

  it('isBcryptHash', () => {
    expect(isBcryptHash(POCKETBASE_HASH)).toBe(true);
    expect(isBcryptHash('1234567890')).toBe(false);
    expect(isBcryptHash(null)).toBe(false);
  });
});
