import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type PocketBase from 'pocketbase';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sdkClient, sdkFailure } from '../helpers/sdk-clients.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { superuserToken } from '../helpers/tokens.js';

let server: TestServer;
let notesId = '';

const client = (token?: string): PocketBase => sdkClient(server.url, token);

function storedRecords(): string[] {
  const dir = join(server.dataDir, 'storage', notesId);
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

async function countNotes(): Promise<number> {
  return (await client(superuserToken).collection('notes').getList(1, 1)).totalItems;
}

describe('batch through the pocketbase SDK', () => {
  beforeAll(async () => {
    server = await startTestServer({ fixture: true });
    const created = await client(superuserToken).collections.create({
      name: 'notes', type: 'base',
      listRule: '', viewRule: '', createRule: 'title != "forbidden"', updateRule: '', deleteRule: null,
      fields: [
        { name: 'title', type: 'text', required: true },
        { name: 'files', type: 'file', maxSelect: 5 },
      ],
    });
    notesId = created.id;
  });

  beforeEach(async () => {
    await server.app.settings.save({ batch: { enabled: true, maxRequests: 50, timeout: 3, maxBodySize: 0 } });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('runs creates, upserts, updates and deletes with files in one transaction', async () => {
    const su = client(superuserToken);
    const existing = await su.collection('notes').create({ title: 'old', files: [new File(['old'], 'old.txt')] });
    const doomed = await su.collection('notes').create({ title: 'doomed', files: [new File(['d'], 'd.txt')] });

    const batch = su.createBatch();
    batch.collection('notes').create({ title: 'new', files: [new File(['a'], 'a.txt'), new File(['b'], 'b.txt')] });
    batch.collection('notes').upsert({ id: existing.id, title: 'upserted', 'files+': new File(['c'], 'c.txt') });
    batch.collection('notes').upsert({ title: 'upsert-created' });
    batch.collection('notes').update(existing.id, { 'files-': existing['files'] }, { fields: 'id,title,files' });
    batch.collection('notes').delete(doomed.id);
    const seen: string[] = [];
    const off = server.app.events.on((e) => void seen.push(`${e.action}:${e.record['title']}`));
    const results = await batch.send();
    off();
    expect(seen).toEqual(['create:new', 'update:upserted', 'create:upsert-created', 'update:upserted', 'delete:doomed']);

    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 204]);
    expect(results[0]?.body['files']).toHaveLength(2);
    expect(results[1]?.body['title']).toBe('upserted');
    expect(results[1]?.body['files']).toHaveLength(2);
    expect(results[2]?.body['title']).toBe('upsert-created');
    expect(Object.keys(results[3]?.body ?? {})).toEqual(['id', 'title', 'files']);
    expect(results[3]?.body['files']).toHaveLength(1);
    expect(results[4]?.body).toBeNull();

    const createdId = results[0]?.body['id'] as string;
    expect(readdirSync(join(server.dataDir, 'storage', notesId, createdId)).filter((f) => !f.endsWith('.attrs'))).toHaveLength(2);
    expect(readdirSync(join(server.dataDir, 'storage', notesId, existing.id))).not.toContain(existing['files'][0]);
    expect(storedRecords()).not.toContain(doomed.id);
  });

  it('rolls everything back when one request fails, uploads and deletes included', async () => {
    const su = client(superuserToken);
    const keep = await su.collection('notes').create({ title: 'keep', files: [new File(['k'], 'k.txt')] });
    const notesBefore = await countNotes();
    const dirsBefore = storedRecords();

    const batch = su.createBatch();
    batch.collection('notes').create({ title: 'never', files: [new File(['n'], 'n.txt')] });
    batch.collection('notes').update(keep.id, { title: 'changed', files: [new File(['r'], 'r.txt')] });
    batch.collection('notes').delete(keep.id);
    batch.collection('notes').create({ title: '' });
    const seen: string[] = [];
    const off = server.app.events.on((e) => void seen.push(e.action));
    const err = await sdkFailure(batch.send());
    off();
    expect(seen).toEqual([]); // no realtime event for a rolled-back batch

    expect(err.status).toBe(400);
    expect(err.response['message']).toBe('Batch transaction failed.');
    const failed = err.response['data']['requests']['3'];
    expect(failed).toMatchObject({ code: 'batch_request_failed', message: 'Batch request failed.' });
    expect(failed.response).toMatchObject({ status: 400, data: { title: { code: 'validation_required' } } });
    expect(Object.keys(err.response['data']['requests'])).toEqual(['3']);

    expect(await countNotes()).toBe(notesBefore);
    const after = await su.collection('notes').getOne(keep.id);
    expect(after['title']).toBe('keep');
    expect(after['files']).toEqual(keep['files']);
    expect(storedRecords()).toEqual(dirsBefore);
    expect(readdirSync(join(server.dataDir, 'storage', notesId, keep.id)).filter((f) => !f.endsWith('.attrs'))).toEqual(keep['files']);
  });

  it('applies each collection rule per request (guest: create rule, locked delete rule)', async () => {
    const guest = client();
    const ok = guest.createBatch();
    ok.collection('notes').create({ title: 'by guest' });
    expect((await ok.send())[0]?.status).toBe(200);

    const ruleFails = guest.createBatch();
    ruleFails.collection('notes').create({ title: 'fine' });
    ruleFails.collection('notes').create({ title: 'forbidden' });
    const err = await sdkFailure(ruleFails.send());
    expect(err.response['data']['requests']['1']['response']['status']).toBe(400);

    const su = client(superuserToken);
    const target = await su.collection('notes').create({ title: 'target' });
    const locked = guest.createBatch();
    locked.collection('notes').delete(target.id);
    const lockedErr = await sdkFailure(locked.send());
    expect(lockedErr.response['data']['requests']['0']['response']['status']).toBe(403);
    expect((await su.collection('notes').getOne(target.id)).id).toBe(target.id);
  });

  it('sees the earlier writes of the same batch', async () => {
    const batch = client(superuserToken).createBatch();
    batch.collection('notes').create({ id: 'batchchained001', title: 'first' });
    batch.collection('notes').update('batchchained001', { title: 'second' });
    const results = await batch.send();
    expect(results[1]?.body['title']).toBe('second');
  });

  it('follows the batch settings: enabled, maxRequests, maxBodySize; validates requests', async () => {
    const pb = client(superuserToken);
    await server.app.settings.save({ batch: { enabled: false } });
    const disabled = await sdkFailure(pb.send('/api/batch', { method: 'POST', body: { requests: [{ method: 'POST', url: '/api/collections/notes/records' }] } }));
    expect(disabled.status).toBe(403);

    await server.app.settings.save({ batch: { enabled: true, maxRequests: 2 } });
    const tooMany = await sdkFailure(pb.send('/api/batch', { method: 'POST', body: { requests: [1, 2, 3].map(() => ({ method: 'GET', url: '/x' })) } }));
    expect(tooMany.response['data']['requests']['code']).toBe('validation_length_too_long');

    const invalid = await sdkFailure(pb.send('/api/batch', { method: 'POST', body: { requests: [{ url: '/a' }, { method: 'HEAD', url: 'x'.repeat(2001) }] } }));
    expect(invalid.response['data']['requests']).toMatchObject({
      0: { method: { code: 'validation_required' } },
      1: { method: { code: 'validation_in_invalid' }, url: { code: 'validation_length_too_long' } },
    });
    const empty = await sdkFailure(pb.send('/api/batch', { method: 'POST', body: {} }));
    expect(empty.response['data']['requests']['code']).toBe('validation_required');

    await server.app.settings.save({ batch: { maxRequests: 50, maxBodySize: 10 } });
    const large = await sdkFailure(pb.send('/api/batch', { method: 'POST', body: { requests: [{ method: 'POST', url: '/api/collections/notes/records', body: { title: 'x' } }] } }));
    expect(large.status).toBe(413);
  });

  it('answers an unknown action with the failed index', async () => {
    const err = await sdkFailure(client(superuserToken).send('/api/batch', { method: 'POST', body: { requests: [{ method: 'GET', url: '/api/health' }] } }));
    expect(err.response['data']['requests']['0']).toMatchObject({ code: 'batch_request_failed', response: { status: 400 } });
  });
});
