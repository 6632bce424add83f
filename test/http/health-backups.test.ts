import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SuperuserAccounts } from '../../src/core/auth/superuser-accounts.js';
import { sdkClient, sdkFailure } from '../helpers/sdk-clients.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

// Runs once per dialect (test/helpers/dialect-projects.ts): SQLite data dirs are backed up here,
// PostgreSQL and MySQL are not, and a superuser's /api/health says which, so the admin UI can too.
describe('GET /api/health: whether backups can be made', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    await new SuperuserAccounts(server.app.schema, server.app.records).create('root@example.com', 'root-password-1');
  });
  afterAll(async () => server?.close());

  it('tells a superuser, and nobody else, on the store this project runs', async () => {
    const guest = await sdkClient(server.url).health.check();
    expect(guest.data).toEqual({});
    const pb = sdkClient(server.url);
    await pb.collection('_superusers').authWithPassword('root@example.com', 'root-password-1');
    const { data } = await pb.health.check();
    // PocketBase's meaning: no backup or restore is running
    expect(data).toHaveProperty('canBackup', true);
    if (server.dialect === 'sqlite') {
      expect(data).not.toHaveProperty('backups');
      return;
    }
    expect(data['backups']).toEqual({ supported: false, message: expect.stringMatching(/pg_dump, mysqldump/) });
    // creating one is refused with the same message
    const failure = await sdkFailure(pb.backups.create('nope.zip'));
    expect(failure.status).toBe(400);
    expect(failure.response['message']).toBe((data['backups'] as { message: string }).message);
  });
});
