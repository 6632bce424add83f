import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type PocketBase from 'pocketbase';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkClient, sdkFailure } from '../helpers/sdk-clients.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { superuserToken, userToken } from '../helpers/tokens.js';

let server: TestServer;
let collectionId = '';
let png: Buffer;

const client = (token?: string): PocketBase => sdkClient(server.url, token);

function recordDir(id: string): string {
  return join(server.dataDir, 'storage', collectionId, id);
}

function storedFiles(id: string): string[] {
  return existsSync(recordDir(id)) ? readdirSync(recordDir(id)).sort() : [];
}


describe('files through the pocketbase SDK', () => {
  beforeAll(async () => {
    server = await startTestServer({ fixture: true });
    png = await sharp({ create: { width: 40, height: 20, channels: 3, background: '#ff0000' } }).png().toBuffer();
    const created = await client(superuserToken).collections.create({
      name: 'docs',
      type: 'base',
      listRule: '', viewRule: '', createRule: '', updateRule: '', deleteRule: '',
      fields: [
        { name: 'title', type: 'text' },
        { name: 'image', type: 'file', maxSelect: 1, thumbs: ['10x10', '0x10', '10x0', '10x10t', '10x10b', '10x10f'], mimeTypes: ['image/png'] },
        { name: 'attachments', type: 'file', maxSelect: 3, maxSize: 256 },
        { name: 'secret', type: 'file', maxSelect: 1, protected: true },
      ],
    });
    collectionId = created.id;
    await client(superuserToken).collections.create({
      name: 'locked_docs', type: 'base', listRule: null, viewRule: '@request.auth.id != ""', createRule: '',
      fields: [{ name: 'secret', type: 'file', maxSelect: 1, protected: true }],
    });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('uploads on create with normalised names and stores them in PocketBase layout', async () => {
    const rec = await client().collection('docs').create({
      title: 'a',
      image: new File([png], 'My Photo.png', { type: 'text/plain' }),
      attachments: [new File(['hello'], 'notes.txt'), new File(['second'], 'b.txt')],
    });
    expect(rec['image']).toMatch(/^my_photo_[a-z0-9]{10}\.png$/);
    expect(rec['attachments']).toHaveLength(2);
    expect(rec['attachments'][0]).toMatch(/^notes_[a-z0-9]{10}\.txt$/);
    expect(rec['attachments'][1]).toMatch(/^b[a-z0-9]{10}_[a-z0-9]{10}\.txt$/);
    const files = storedFiles(rec.id);
    expect(files).toContain(rec['image']);
    expect(files).toContain(`${rec['image']}.attrs`);

    const res = await fetch(client().files.getURL(rec, rec['image']));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-disposition')).toBe(`inline; filename=${rec['image']}`);
    expect(res.headers.get('cache-control')).toContain('max-age=2592000');
    expect(res.headers.get('x-frame-options')).toBeNull();
    expect(Buffer.from(await res.arrayBuffer()).equals(png)).toBe(true);

    const dl = await fetch(client().files.getURL(rec, rec['image'], { download: true }));
    expect(dl.headers.get('content-disposition')).toBe(`attachment; filename=${rec['image']}`);
  });

  it('makes thumbs in every PocketBase size form and falls back to the original otherwise', async () => {
    const rec = await client().collection('docs').create({ image: new File([png], 'pic.png') });
    const cases: Array<[string, number, number]> = [
      ['10x10', 10, 10], ['10x10t', 10, 10], ['10x10b', 10, 10], ['10x10f', 10, 5], ['0x10', 20, 10], ['10x0', 10, 5], ['100x100', 100, 100],
    ];
    for (const [thumb, width, height] of cases) {
      const res = await fetch(client().files.getURL(rec, rec['image'], { thumb }));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toBe(`inline; filename=${thumb}_${rec['image']}`);
      const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
      expect([thumb, meta.width, meta.height]).toEqual([thumb, width, height]);
      expect(existsSync(join(recordDir(rec.id), `thumbs_${rec['image']}`, `${thumb}_${rec['image']}`))).toBe(true);
    }
    const unknown = await fetch(client().files.getURL(rec, rec['image'], { thumb: '7x7' }));
    expect(unknown.headers.get('content-disposition')).toBe(`inline; filename=${rec['image']}`);
  });

  it('serves HTTP ranges and conditional requests', async () => {
    const rec = await client().collection('docs').create({ attachments: [new File(['0123456789'], 'digits.txt')] });
    const url = client().files.getURL(rec, rec['attachments'][0]);
    const part = await fetch(url, { headers: { range: 'bytes=2-5' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 2-5/10');
    expect(await part.text()).toBe('2345');
    const suffix = await fetch(url, { headers: { range: 'bytes=-3' } });
    expect(await suffix.text()).toBe('789');
    const bad = await fetch(url, { headers: { range: 'bytes=50-' } });
    expect(bad.status).toBe(416);
    await bad.arrayBuffer();
    const full = await fetch(url);
    expect(full.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(full.headers.get('content-disposition')).toMatch(/^attachment; /);
    const lastModified = full.headers.get('last-modified') ?? '';
    await full.arrayBuffer();
    const cached = await fetch(url, { headers: { 'if-modified-since': lastModified } });
    expect(cached.status).toBe(304);
  });

  it('serves HTML and SVG as attachments with nosniff', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>';
    const rec = await client().collection('docs').create({
      attachments: [new File(['<!DOCTYPE html><html><script>alert(1)</script></html>'], 'page.png'), new File([svg], 'x.svg')],
    });
    for (const name of rec['attachments'] as string[]) {
      const res = await fetch(client().files.getURL(rec, name));
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; /);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toContain('sandbox');
      await res.arrayBuffer();
    }
  });

  it('enforces maxSize, maxSelect and mimeTypes on the content, not the name', async () => {
    const tooBig = await sdkFailure(client().collection('docs').create({ attachments: [new File(['x'.repeat(257)], 'big.txt')] }));
    expect(tooBig.response['data']['attachments']['code']).toBe('validation_file_size_limit');
    const tooMany = await sdkFailure(client().collection('docs').create({ attachments: ['a', 'b', 'c', 'd'].map((n) => new File([n], `${n}.txt`)) }));
    expect(tooMany.response['data']['attachments']['code']).toBe('validation_too_many_files');
    const fakePng = await sdkFailure(client().collection('docs').create({ image: new File(['not an image'], 'fake.png', { type: 'image/png' }) }));
    expect(fakePng.response['data']['image']['code']).toBe('validation_invalid_mime_type');
    const unknownName = await sdkFailure(client().collection('docs').create({ attachments: ['never_uploaded.txt'] }));
    expect(unknownName.response['data']['attachments']['code']).toBe('validation_invalid_file');
  });

  it('applies the + and - modifiers and removes replaced files from storage', async () => {
    const pb = client();
    const rec = await pb.collection('docs').create({ attachments: [new File(['one'], 'one.txt')], image: new File([png], 'a.png') });
    const [one] = rec['attachments'] as string[];
    const appended = await pb.collection('docs').update(rec.id, { 'attachments+': new File(['two'], 'two.txt') });
    expect(appended['attachments']).toHaveLength(2);
    expect(appended['attachments'][0]).toBe(one);
    const prepended = await pb.collection('docs').update(rec.id, { '+attachments': new File(['zero'], 'zero.txt') });
    expect(prepended['attachments']).toHaveLength(3);
    expect(prepended['attachments'][1]).toBe(one);
    const removed = await pb.collection('docs').update(rec.id, { 'attachments-': [one] });
    expect(removed['attachments']).not.toContain(one);
    expect(storedFiles(rec.id)).not.toContain(one);
    expect(storedFiles(rec.id)).not.toContain(`${one}.attrs`);

    // a thumb of the replaced image goes with it
    await (await fetch(pb.files.getURL(rec, rec['image'], { thumb: '10x10' }))).arrayBuffer();
    expect(storedFiles(rec.id)).toContain(`thumbs_${rec['image']}`);
    const replaced = await pb.collection('docs').update(rec.id, { image: new File([png], 'b.png') });
    expect(replaced['image']).not.toBe(rec['image']);
    expect(storedFiles(rec.id)).not.toContain(rec['image']);
    expect(storedFiles(rec.id)).not.toContain(`thumbs_${rec['image']}`);

    const cleared = await pb.collection('docs').update(rec.id, { image: null, attachments: [] });
    expect(cleared['image']).toBe('');
    expect(storedFiles(rec.id).filter((f) => !f.endsWith('.attrs'))).toEqual([]);
  });

  it('removes the files of a deleted record; a failed create reusing an existing id keeps that record\'s files (regression)', async () => {
    const pb = client();
    const rec = await pb.collection('docs').create({ attachments: [new File(['x'], 'x.txt')] });
    expect(storedFiles(rec.id).length).toBeGreaterThan(0);
    await pb.collection('docs').delete(rec.id);
    expect(existsSync(recordDir(rec.id))).toBe(false);

    // the insert fails after the upload (duplicate id): the upload is removed again
    const kept = await pb.collection('docs').create({ attachments: [new File(['k'], 'k.txt')] });
    const before = storedFiles(kept.id);
    const err = await sdkFailure(pb.collection('docs').create({ id: kept.id, attachments: [new File(['y'], 'y.txt')] }));
    expect(err.status).toBe(400);
    expect(storedFiles(kept.id)).toEqual(before);
  });

  it('protects files: 404 without a token, 200 with a file token whose record passes the view rule', async () => {
    const created = await client().collection('locked_docs').create({ secret: new File(['top secret'], 's.txt') });
    const name = created['secret'] as string;
    const plain = await fetch(`${server.url}/api/files/locked_docs/${created.id}/${name}`);
    expect(plain.status).toBe(404);
    await plain.arrayBuffer();

    expect((await sdkFailure(client().files.getToken())).status).toBe(401);
    const token = await client(userToken).files.getToken();
    const [, payload = ''] = token.split('.');
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toMatchObject({ type: 'file', collectionId: '_pb_users_auth_', id: '4q1xlclmfloku33' });
    const withToken = await fetch(client().files.getURL(created, name, { token }));
    expect(withToken.status).toBe(200);
    expect(await withToken.text()).toBe('top secret');

    const authToken = await fetch(client().files.getURL(created, name, { token: userToken }));
    expect(authToken.status).toBe(404);
    await authToken.arrayBuffer();
  });

  it('regression: an API key asking for a file token got a 500 (keys are not auth records)', async () => {
    const created = await fetch(`${server.url}/api/plinth/api-keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: superuserToken },
      body: JSON.stringify({ name: 'files', scopes: [{ collection: 'locked_docs', actions: ['view'] }] }),
    });
    expect(created.status).toBe(200);
    const { key } = (await created.json()) as { key: string };
    const res = await fetch(`${server.url}/api/files/token`, { method: 'POST', headers: { authorization: key } });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ status: 403, data: {} });
  });

  it('serves a PocketBase storage folder as is (fixture files and thumbs)', async () => {
    const res = await fetch(`${server.url}/api/files/_pb_users_auth_/4q1xlclmfloku33/300_1SEi6Q6U72.png?thumb=70x50`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('inline; filename=70x50_300_1SEi6Q6U72.png');
    await res.arrayBuffer();
    const missing = await fetch(`${server.url}/api/files/_pb_users_auth_/4q1xlclmfloku33/../../data.db`);
    expect(missing.status).toBe(404);
    await missing.arrayBuffer();
  });
});
