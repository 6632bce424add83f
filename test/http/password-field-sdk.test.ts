/**
 * Regression: a `password` field in a base collection answered 500 on create (the plain value
 * reached the store unhashed), and must never lose its stored hash when other fields change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SdkClients } from '../helpers/sdk-clients.js';
import { closeTestDatabaseAdmins, projectDialect } from '../helpers/test-databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { superuserToken } from '../helpers/tokens.js';

let server: TestServer;
const clients = new SdkClients(() => server.url);

afterAll(() => closeTestDatabaseAdmins());

describe.each([projectDialect()])('password fields outside auth collections (%s)', (dialect) => {
  beforeAll(async () => {
    server = await startTestServer({ fixture: true, dialect });
    await clients.client(superuserToken).collections.create({
      name: 'pw_lockers', type: 'base', listRule: '', viewRule: '', createRule: '', updateRule: '',
      fields: [
        { name: 'label', type: 'text' },
        { name: 'pin', type: 'password', min: 4 },
      ],
    });
  });
  afterAll(async () => {
    await clients.closeAll();
    await server.close();
  });

  const storedPin = async (id: string): Promise<string> => {
    const rows = await server.app.records.findById(server.app.schema.find('pw_lockers')!, id);
    return String(rows?.['pin'] ?? '');
  };

  it('hashes the plain value on create and update, and never returns it', async () => {
    const guest = clients.client();
    const created = await guest.collection('pw_lockers').create({ label: 'a', pin: '123456' });
    expect(created['pin']).toBe('');
    const hash = await storedPin(created.id);
    expect(hash).toMatch(/^\$2[aby]\$/);

    await guest.collection('pw_lockers').update(created.id, { label: 'b' });
    expect(await storedPin(created.id)).toBe(hash);

    await guest.collection('pw_lockers').update(created.id, { pin: '654321' });
    const rehashed = await storedPin(created.id);
    expect(rehashed).toMatch(/^\$2[aby]\$/);
    expect(rehashed).not.toBe(hash);
  });

  it('validates the plain value, not the hash', async () => {
    await expect(clients.client().collection('pw_lockers').create({ label: 'c', pin: '12' })).rejects.toMatchObject({
      status: 400,
      response: { data: { pin: { code: 'validation_min_text_constraint' } } },
    });
  });
});
