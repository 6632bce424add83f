import { createHmac, generateKeyPairSync } from 'node:crypto';
import { SignJWT, importPKCS8 } from 'jose';
import { describe, expect, it } from 'vitest';
import { AuthService } from '../../../src/core/auth/auth-service.js';
import type { AuthRecords } from '../../../src/core/auth/auth-ports.js';
import { tokenFromHeader } from '../../../src/core/auth/auth-tokens.js';
import type { CollectionModel } from '../../../src/core/collections/collection-model.js';
import { SchemaRegistry } from '../../../src/core/collections/schema-registry.js';
import type { RecordData } from '../../../src/core/request-info.js';

const SECRET = 'collection-secret-0123456789';

function collection(id: string, name: string, type: CollectionModel['type'] = 'auth'): CollectionModel {
  return {
    id, name, type, system: false, fields: [], indexes: [],
    listRule: null, viewRule: null, createRule: null, updateRule: null, deleteRule: null,
    options: type === 'auth' ? { authToken: { secret: SECRET, duration: 3600 }, fileToken: { secret: 'file-secret', duration: 180 } } : {},
    created: '', updated: '',
  };
}

const users = collection('users_id', 'users');
const posts = collection('posts_id', 'posts', 'base');

function setup() {
  const schema = new SchemaRegistry();
  schema.replaceAll([users, posts]);
  const rows = new Map<string, RecordData>([
    ['u1', { id: 'u1', tokenKey: 'key-one', email: 'a@example.com' }],
    ['u2', { id: 'u2', tokenKey: 'key-two', email: 'b@example.com' }],
    ['p1', { id: 'p1', tokenKey: 'key-one' }],
  ]);
  const records: AuthRecords = {
    findById: async (_c, id) => rows.get(id) ?? null,
    findFirstByField: async () => null,
    canAccess: async () => true,
    createSystem: async () => { throw new Error('unused'); },
    updateSystem: async () => { throw new Error('unused'); },
    deleteSystem: async () => undefined,
    findAllSystem: async () => [],
    create: async () => { throw new Error('unused'); },
  };
  return { auth: new AuthService(schema, records), rows };
}

const enc = new TextEncoder();
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const future = () => Math.floor(Date.now() / 1000) + 600;
const claims = (over: Record<string, unknown> = {}) =>
  ({ id: 'u1', type: 'auth', collectionId: 'users_id', refreshable: true, exp: future(), ...over });

async function hs(alg: 'HS256' | 'HS384' | 'HS512', payload: Record<string, unknown>, key = `key-one${SECRET}`): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg }).sign(enc.encode(key));
}

describe('AuthService token checks', () => {
  it('accepts a valid HS256 token, with or without the Bearer prefix', async () => {
    const { auth } = setup();
    const token = await hs('HS256', claims());
    expect((await auth.authenticate(token))?.record.id).toBe('u1');
    expect((await auth.authenticate(`Bearer ${token}`))?.record.id).toBe('u1');
    expect((await auth.authenticate(`bearer ${token}`))?.collection.name).toBe('users');
  });

  it('issues tokens with the PocketBase claims that it accepts back', async () => {
    const { auth, rows } = setup();
    const record = rows.get('u2') as RecordData;
    const token = await auth.newAuthToken({ record, collection: users });
    const [header, payload] = token.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header).toMatchObject({ alg: 'HS256' });
    expect(payload).toMatchObject({ id: 'u2', type: 'auth', collectionId: 'users_id', refreshable: true });
    expect(payload.exp - Math.floor(Date.now() / 1000)).toBeGreaterThan(3590);
    expect((await auth.authenticate(token))?.record.id).toBe('u2');
  });

  const guestCases: Array<[string, () => Promise<string>, ((rows: Map<string, RecordData>) => void)?]> = [
    ['empty header', async () => ''],
    ['garbage', async () => 'not.a.jwt'],
    ['alg none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`],
    ['HS384 with the same key', () => hs('HS384', claims())],
    ['HS512 with the same key', () => hs('HS512', claims())],
    ['RS256 header with an HMAC of the same key material', async () => {
      const input = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims())}`;
      return `${input}.${createHmac('sha256', `key-one${SECRET}`).update(input).digest('base64url')}`;
    }],
    ['RS256 signed with a real RSA key', async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const key = await importPKCS8(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'RS256');
      return new SignJWT(claims()).setProtectedHeader({ alg: 'RS256' }).sign(key);
    }],
    ['tampered payload (id swapped, signature kept)', async () => {
      const [h, , s] = (await hs('HS256', claims())).split('.');
      return `${h}.${b64(claims({ id: 'u2' }))}.${s}`;
    }],
    ['signed with another record key', () => hs('HS256', claims(), `key-two${SECRET}`)],
    ['signed with the secret only', () => hs('HS256', claims(), SECRET)],
    ['expired', () => hs('HS256', claims({ exp: Math.floor(Date.now() / 1000) - 5 }))],
    ['without exp', async () => { const { exp: _exp, ...rest } = claims(); return hs('HS256', rest); }],
    ['wrong type (file token with the auth key)', () => hs('HS256', claims({ type: 'file' }))],
    ['wrong type (file token with the file key)', () => hs('HS256', claims({ type: 'file' }), 'key-onefile-secret')],
    ['collection is not an auth collection', () => hs('HS256', claims({ id: 'p1', collectionId: 'posts_id' }))],
    ['unknown collection', () => hs('HS256', claims({ collectionId: 'nope' }))],
    ['collection referenced by name instead of id', () => hs('HS256', claims({ collectionId: 'users' }))],
    ['deleted record', () => hs('HS256', claims()), (rows) => rows.delete('u1')],
    ['tokenKey changed (password change)', () => hs('HS256', claims()), (rows) => rows.set('u1', { id: 'u1', tokenKey: 'rotated' })],
  ];

  it.each(guestCases)('%s → guest', async (_name, make, mutate) => {
    const { auth, rows } = setup();
    const token = await make();
    mutate?.(rows);
    await expect(auth.authenticate(token)).resolves.toBeNull();
  });

  it('strips only a Bearer prefix', () => {
    expect(tokenFromHeader('Bearer abc')).toBe('abc');
    expect(tokenFromHeader('abc')).toBe('abc');
    expect(tokenFromHeader(undefined)).toBe('');
  });
});
