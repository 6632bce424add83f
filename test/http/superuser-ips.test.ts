import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isIpAllowed } from '../../src/http/superuser-ips.js';
import { SdkClients } from '../helpers/sdk-clients.js';
import { closeTestDatabaseAdmins, projectDialect } from '../helpers/test-databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { superuserToken, userToken } from '../helpers/tokens.js';

describe('isIpAllowed', () => {
  it.each([
    [['127.0.0.1'], '127.0.0.1', true],
    [['127.0.0.1'], '::ffff:127.0.0.1', true],
    [['127.0.0.1'], '127.0.0.2', false],
    [['10.0.0.0/8'], '10.20.30.40', true],
    [['10.0.0.0/8'], '11.0.0.1', false],
    [['::1'], '::1', true],
    [['fd00::/8'], 'fd12::1', true],
    [['not-an-ip', '300.1.1.1'], '127.0.0.1', false],
    [['127.0.0.1'], 'garbage', false],
  ])('%j allows %s: %s', (entries, ip, expected) => {
    expect(isIpAllowed(entries, ip)).toBe(expected);
  });
});

let server: TestServer;
const clients = new SdkClients(() => server.url);
afterAll(() => closeTestDatabaseAdmins());

describe.each([projectDialect()])('superuserIPs (%s)', (dialect) => {
  beforeAll(async () => {
    server = await startTestServer({ fixture: true, dialect });
  });
  afterAll(async () => {
    await clients.closeAll();
    await server.close();
  });

  it('keeps superusers from an allowed range and refuses them from elsewhere, users unaffected', async () => {
    const admin = clients.client(superuserToken);
    await admin.settings.update({ superuserIPs: ['127.0.0.0/8'] });
    await expect(admin.collections.getList(1, 1)).resolves.toMatchObject({ page: 1 });

    await admin.settings.update({ superuserIPs: ['10.1.2.3'] });
    await expect(admin.collections.getList(1, 1)).rejects.toMatchObject({ status: 403 });
    await expect(clients.client(userToken).collection('demo2').getList(1, 1)).resolves.toMatchObject({ page: 1 });
    await expect(clients.client().collection('demo2').getList(1, 1)).resolves.toMatchObject({ page: 1 });
  });
});
