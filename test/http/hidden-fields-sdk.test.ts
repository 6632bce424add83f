/**
 * Hidden fields through the `pocketbase` SDK. PocketBase unhides every field for superusers
 * (apis/record_helpers.go autoResolveRecordsFlags; TestRealtimeRecordHiddenFields), in REST lists
 * and views, in expanded relations and in realtime events, while an auth record's `password` and
 * `tokenKey` never leave (core/record_model.go PublicExport) and a password field exports its plain
 * value, which is gone once saved (core/field_password.go): `""`, never the bcrypt hash.
 */
import { EventSource } from 'eventsource';
import type { RecordModel, RecordSubscription } from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SdkClients, waitFor } from '../helpers/sdk-clients.js';
import { closeTestDatabaseAdmins, projectDialect } from '../helpers/test-databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { superuserToken, userToken } from '../helpers/tokens.js';

(globalThis as { EventSource?: unknown }).EventSource ??= EventSource;

const USER = '4q1xlclmfloku33';
const BCRYPT = /\$2[abxy]?\$/;

let server: TestServer;
const clients = new SdkClients(() => server.url);
const sdk = (token?: string) => clients.client(token);

const DIALECTS = [projectDialect()];
afterAll(() => closeTestDatabaseAdmins());

describe.each(DIALECTS)('hidden fields and superusers (%s)', (dialect) => {
  let secretId = '';
  let holderId = '';

  beforeAll(async () => {
    server = await startTestServer({ fixture: true, dialect });
    const admin = sdk(superuserToken);
    const rule = "@request.auth.id != ''";
    const secrets = await admin.collections.create({
      name: 'hf_secrets', type: 'base', listRule: rule, viewRule: rule,
      fields: [
        { name: 'title', type: 'text' },
        { name: 'secret', type: 'text', hidden: true },
      ],
    });
    await admin.collections.create({
      name: 'hf_holders', type: 'base', listRule: rule, viewRule: rule,
      fields: [
        { name: 'label', type: 'text' },
        { name: 'note', type: 'text', hidden: true },
        { name: 'ref', type: 'relation', collectionId: secrets.id, maxSelect: 1 },
      ],
    });
    const created = await admin.collection('hf_secrets').create({ title: 't1', secret: 's3cret' });
    secretId = created.id;
    holderId = (await admin.collection('hf_holders').create({ label: 'h1', note: 'n1', ref: secretId })).id;
  });

  afterAll(async () => {
    await clients.closeAll();
    await server?.close();
  });

  it('regression: superusers see hidden fields in list and view (the fast paths too), users do not', async () => {
    const admin = sdk(superuserToken);
    const user = sdk(userToken);
    const asAdmin = [
      await admin.collection('hf_secrets').getOne(secretId),
      ...(await admin.collection('hf_secrets').getFullList()),
      ...(await admin.collection('hf_secrets').getList(1, 5, { filter: "secret = 's3cret'" })).items,
    ];
    for (const rec of asAdmin) expect(rec).toMatchObject({ id: secretId, title: 't1', secret: 's3cret' });
    const asUser = [await user.collection('hf_secrets').getOne(secretId), ...(await user.collection('hf_secrets').getFullList())];
    for (const rec of asUser) {
      expect(rec).toMatchObject({ id: secretId, title: 't1' });
      expect(rec).not.toHaveProperty('secret');
    }
  });

  it('regression: superusers see hidden fields of expanded relations, users do not', async () => {
    const asAdmin = await sdk(superuserToken).collection('hf_holders').getOne(holderId, { expand: 'ref' });
    expect(asAdmin).toMatchObject({ note: 'n1', expand: { ref: { id: secretId, secret: 's3cret' } } });
    const listed = await sdk(superuserToken).collection('hf_secrets').getFullList({ expand: 'hf_holders_via_ref' });
    expect(listed[0]?.expand?.['hf_holders_via_ref']).toMatchObject([{ id: holderId, note: 'n1' }]);

    const asUser = await sdk(userToken).collection('hf_holders').getOne(holderId, { expand: 'ref' });
    expect(asUser).not.toHaveProperty('note');
    expect(asUser.expand?.['ref']).toMatchObject({ id: secretId, title: 't1' });
    expect(asUser.expand?.['ref']).not.toHaveProperty('secret');
  });

  it('regression: realtime events carry hidden fields for superusers only (TestRealtimeRecordHiddenFields)', async () => {
    const admin: Array<RecordSubscription<RecordModel>> = [];
    const user: Array<RecordSubscription<RecordModel>> = [];
    await sdk(superuserToken).collection('hf_secrets').subscribe('*', (e) => admin.push(e));
    await sdk(userToken).collection('hf_secrets').subscribe('*', (e) => user.push(e));
    await sdk(superuserToken).collection('hf_secrets').create({ title: 'rt', secret: 'live' });
    await waitFor(() => admin.length === 1 && user.length === 1, 'both events');
    expect(admin[0]?.record).toMatchObject({ title: 'rt', secret: 'live' });
    expect(user[0]?.record).toMatchObject({ title: 'rt' });
    expect(user[0]?.record).not.toHaveProperty('secret');
  });

  it('never exports password hashes or tokenKey, not even to superusers', async () => {
    const admin = sdk(superuserToken);
    // `_otps` (a base collection) keeps each OTP's bcrypt hash in a hidden password field
    const { otpId } = await sdk().collection('users').requestOTP('test@example.com');
    const otp = await admin.collection('_otps').getOne(otpId);
    expect(otp).toMatchObject({ recordRef: USER, sentTo: 'test@example.com', password: '' });
    // both serialisers: the direct row path, and the enricher (taken whenever `expand` is set)
    for (const query of ['', '?expand=recordRef']) {
      const headers = { Authorization: superuserToken };
      const listed = await (await fetch(`${server.url}/api/collections/_otps/records${query}`, { headers })).text();
      const viewed = await (await fetch(`${server.url}/api/collections/_otps/records/${otpId}${query}`, { headers })).text();
      for (const body of [listed, viewed]) {
        expect(body).toContain('"password":""');
        expect(body).not.toMatch(BCRYPT);
      }
    }
    const asOwner = await sdk(userToken).collection('_otps').getOne(otpId);
    expect(asOwner).not.toHaveProperty('password');
    expect(asOwner).not.toHaveProperty('sentTo');
    const users = [
      await admin.collection('users').getOne(USER, { expand: 'rel' }),
      ...(await admin.collection('users').getFullList()),
    ];
    for (const rec of users) {
      expect(rec).not.toHaveProperty('password');
      expect(rec).not.toHaveProperty('tokenKey');
    }
    const raw = await (await fetch(`${server.url}/api/collections/_superusers/records`, { headers: { Authorization: superuserToken } })).text();
    expect(raw).not.toMatch(BCRYPT);
    expect(raw).not.toContain('tokenKey');
  });
});
