import bcrypt from 'bcrypt';
import { describe, expect, it } from 'vitest';
import { listAuthMethods } from '../../../src/core/auth/auth-methods.js';
import type { AuthRecordPort } from '../../../src/core/auth/auth-ports.js';
import { findByPassword, validatePasswordForm } from '../../../src/core/auth/password-sign-in.js';
import type { CollectionModel } from '../../../src/core/collections/collection-model.js';
import type { PlinthError } from '../../../src/core/errors/plinth-error.js';
import type { RecordData } from '../../../src/core/request-info.js';

const hash = bcrypt.hashSync('1234567890', 4);

const collection: CollectionModel = {
  id: 'c', name: 'members', type: 'auth', system: false,
  fields: [{ id: 'f1', name: 'email', type: 'email', system: true, hidden: false, presentable: false }],
  indexes: [
    'CREATE UNIQUE INDEX `idx_email` ON `members` (`email` COLLATE NOCASE) WHERE `email` != \'\'',
    'CREATE UNIQUE INDEX `idx_username` ON `members` (username)',
    'CREATE INDEX `idx_nick` ON `members` (nick)',
  ],
  listRule: null, viewRule: null, createRule: null, updateRule: null, deleteRule: null,
  options: {
    passwordAuth: { enabled: true, identityFields: ['email', 'username', 'nick'] },
    oauth2: { enabled: true, providers: [{ name: 'github', clientId: 'cid', pkce: false }, { name: 'unknown-provider' }] },
  },
  created: '', updated: '',
};

const alice: RecordData = { id: 'a1', email: 'alice@example.com', username: 'alice', nick: 'al', password: hash };

function port(calls: Array<[string, unknown, boolean]>): AuthRecordPort {
  return {
    findById: async () => null,
    canAccess: async () => true,
    findFirstByField: async (_c, field, value, options) => {
      calls.push([field, value, options?.caseInsensitive === true]);
      const v = String(value);
      const match = options?.caseInsensitive ? String(alice[field]).toLowerCase() === v.toLowerCase() : alice[field] === v;
      return match ? alice : null;
    },
  };
}

function validationData(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return (err as PlinthError).data;
  }
  return undefined;
}

describe('password sign-in', () => {
  it('validates the form like PocketBase', () => {
    expect(validationData(() => validatePasswordForm({ identity: '', password: '' }, ['email']))).toEqual({
      identity: { code: 'validation_required', message: 'Cannot be blank.' },
      password: { code: 'validation_required', message: 'Cannot be blank.' },
    });
    expect(validationData(() => validatePasswordForm({ identity: 'a', password: 'b', identityField: 'created' }, ['email'])))
      .toEqual({ identityField: { code: 'validation_in_invalid', message: 'Must be a valid value.' } });
  });

  it('finds emails case-insensitively when the unique index says NOCASE, usernames exactly', async () => {
    const calls: Array<[string, unknown, boolean]> = [];
    const form = validatePasswordForm({ identity: 'ALICE@example.com', password: '1234567890' }, ['email', 'username']);
    expect(await findByPassword(port(calls), collection, form)).toBe(alice);
    expect(calls[0]).toEqual(['email', 'ALICE@example.com', true]);
    const byName = validatePasswordForm({ identity: 'alice', password: '1234567890' }, ['email', 'username']);
    expect(await findByPassword(port([]), collection, byName)).toBe(alice);
  });

  it('ignores identity fields without a single-column unique index', async () => {
    const form = validatePasswordForm({ identity: 'al', password: '1234567890', identityField: 'nick' }, ['nick']);
    expect(await findByPassword(port([]), collection, form)).toBeNull();
  });

  it('answers null alike for unknown identities and wrong passwords', async () => {
    const wrong = validatePasswordForm({ identity: 'alice@example.com', password: 'nope' }, ['email']);
    const unknown = validatePasswordForm({ identity: 'bob@example.com', password: '1234567890' }, ['email']);
    expect(await findByPassword(port([]), collection, wrong)).toBeNull();
    expect(await findByPassword(port([]), collection, unknown)).toBeNull();
  });

  it('lists auth methods with PKCE only where enabled and skips unknown providers', () => {
    const methods = listAuthMethods(collection);
    expect(methods.oauth2.providers.map((p) => p.name)).toEqual(['github']);
    const github = methods.oauth2.providers[0];
    expect(github?.codeVerifier).toBe('');
    expect(github?.authURL).toMatch(/^https:\/\/github\.com\/login\/oauth\/authorize\?client_id=cid&response_type=code&scope=read%3Auser\+user%3Aemail&state=[A-Za-z0-9]{30}&redirect_uri=$/);
    expect(methods.authProviders?.[0]?.logo).toBe('');
    expect(github?.logo).toMatch(/^<svg/);
    expect(methods.usernamePassword).toBe(true);
  });
});
