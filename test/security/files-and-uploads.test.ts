/**
 * Files: path traversal in upload names, download paths and thumbs (CWE-22; Strapi
 * CVE-2022-27263-class upload-name traversal, Directus CVE-2022-24814-class file path abuse), HTML
 * and SVG uploads served where a browser would run them (stored XSS, CWE-79; Strapi CVE-2023-34235
 * class SVG upload), MIME-restriction bypass by renaming (CWE-434) and Range-header abuse
 * (Apache CVE-2011-3192 "Range: bytes=0-,0-,…").
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../helpers/test-server.js';
import { superuserToken } from '../helpers/tokens.js';
import { call, closeTestDatabaseAdmins, createCollection, projectDialect, startAttackServer, type Answer } from './attack-kit.js';

let server: TestServer;
let collectionId = '';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a0c7ee7e0000000049454e44ae426082', 'hex');

/** Every file under the data dir, relative to it. */
function filesUnder(dir: string, base = dir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path, base) : [relative(base, path)];
  });
}

async function upload(name: string, content: Buffer | string, field = 'doc'): Promise<Answer> {
  const form = new FormData();
  form.append(field, new Blob([content]), name);
  return call(server.url, 'POST', '/api/collections/fu_files/records', { token: superuserToken, body: form });
}

afterAll(() => closeTestDatabaseAdmins());

describe.each([projectDialect()])('files and uploads (%s)', () => {
  beforeAll(async () => {
    server = await startAttackServer();
    collectionId = (await createCollection(server, {
      name: 'fu_files', type: 'base', listRule: '', viewRule: '', createRule: '',
      fields: [
        { name: 'doc', type: 'file', maxSelect: 1, maxSize: 1 << 20 },
        { name: 'image', type: 'file', maxSelect: 1, maxSize: 1 << 20, mimeTypes: ['image/png'], thumbs: ['10x10'] },
      ],
    })).id;
  });
  afterAll(async () => {
    await server?.close();
  });

  const names: Array<[string, string]> = [
    ['CWE-22 ../ in an upload name', '../../../../evil.txt'],
    ['CWE-22 ..\\ in an upload name (Windows separators)', '..\\..\\..\\evil.txt'],
    ['CWE-22 an absolute upload name', '/etc/passwd'],
    ['CWE-22 an encoded ../ in an upload name', '%2e%2e%2f%2e%2e%2fevil.txt'],
    ['CWE-22 a NUL byte in an upload name', 'evil.txt\u0000.png'],
    ['CWE-22 a dot-file upload name', '.htaccess'],
    ['CWE-22 a 1000-character upload name', `${'a'.repeat(1000)}.txt`],
    ['CWE-451 a right-to-left override in an upload name', 'invoice\u202Egnp.exe'],
    ['CWE-22 a name that is only dots', '..'],
  ];

  it.each(names)('%s is stored under a safe name inside the record folder', async (_source, name) => {
    const res = await upload(name, 'payload');
    expect(res.status, res.text).toBeLessThan(500);
    if (res.status !== 200) return;
    const record = res.json as { id: string; doc: string };
    // busboy keeps the base name only; a name with nothing left is dropped (no file)
    if (record.doc === '') return;
    expect(record.doc).toMatch(/^[\w.-]+$/);
    expect(record.doc).not.toContain('..');
    expect(record.doc.length).toBeLessThan(160);
    expect(existsSync(join(server.dataDir, 'storage', collectionId, record.id, record.doc))).toBe(true);
    const outside = filesUnder(server.dataDir).filter((f) => /evil|passwd|htaccess/.test(f) && !f.startsWith(join('storage', collectionId)));
    expect(outside).toEqual([]);
  });

  const downloads: Array<[string, string]> = [
    ['CWE-22 ../ in a download path', '..%2f..%2f..%2fdata.db'],
    ['CWE-22 double-encoded ../ in a download path', '%252e%252e%252fdata.db'],
    ['CWE-22 ....// in a download path', '....%2f%2f....%2f%2fdata.db'],
    ['CWE-22 backslashes in a download path', '..%5c..%5c..%5cdata.db'],
    ['CWE-22 a NUL byte in a download path', 'data.db%00.png'],
  ];

  it.each(downloads)('%s answers 404 and never the database', async (_source, name) => {
    const created = await upload('plain.txt', 'hello');
    const id = (created.json as { id: string }).id;
    const res = await call(server.url, 'GET', `/api/files/fu_files/${id}/${name}`);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('SQLite format');
  });

  it.each([
    ['CWE-22 ../ in a thumb size', '../../../data.db'],
    ['API4:2023 a huge thumb size not in the field list', '20000x20000'],
    ['API4:2023 a thumb size with a zero dimension', '0x0'],
    ['CWE-22 a thumb size with a slash', '10x10/../../x'],
  ])('%s serves the original, never a made-up thumb', async (_source, thumb) => {
    const created = await upload('pixel.png', PNG, 'image');
    expect(created.status, created.text).toBe(200);
    const { id, image } = created.json as { id: string; image: string };
    const res = await call(server.url, 'GET', `/api/files/fu_files/${id}/${image}?thumb=${encodeURIComponent(thumb)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(PNG.length));
    expect(filesUnder(join(server.dataDir, 'storage')).some((f) => f.includes(thumb.replace(/\W/g, '')) && f.includes('thumbs') && thumb.includes('/'))).toBe(false);
  });

  /** [source, upload name, content]: each must be served as a download in a sandbox. */
  const active: Array<[string, string, string]> = [
    ['CWE-79 an HTML upload', 'page.html', '<html><body><script>alert(document.cookie)</script></body></html>'],
    ['Strapi CVE-2023-34235-class SVG with a script', 'logo.svg', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'],
    ['CWE-79 HTML renamed .png (no MIME check on this field)', 'fake.png', '<html><script>alert(1)</script></html>'],
    ['CWE-79 an XHTML upload', 'page.xhtml', '<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>'],
    ['CWE-79 JavaScript served from the origin', 'app.js', 'fetch("/api/settings")'],
  ];

  it.each(active)('%s is an attachment with a sandboxing CSP and nosniff', async (_source, name, content) => {
    const created = await upload(name, content);
    expect(created.status, created.text).toBe(200);
    const { id, doc } = created.json as { id: string; doc: string };
    const res = await call(server.url, 'GET', `/api/files/fu_files/${id}/${doc}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(res.headers.get('content-security-policy')).toContain('sandbox');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('CWE-434 a MIME-restricted field refuses HTML renamed .png', async () => {
    const res = await upload('fake.png', '<html><script>alert(1)</script></html>', 'image');
    expect(res.status).toBe(400);
  });

  it('Apache CVE-2011-3192-class: hundreds of overlapping ranges answer once, no 5xx', async () => {
    const created = await upload('big.txt', 'x'.repeat(10_000));
    const { id, doc } = created.json as { id: string; doc: string };
    const ranges = `bytes=${Array.from({ length: 500 }, () => '0-').join(',')}`;
    const res = await call(server.url, 'GET', `/api/files/fu_files/${id}/${doc}`, { headers: { range: ranges } });
    expect([200, 206, 416]).toContain(res.status);
    expect(res.text.length).toBeLessThanOrEqual(10_000);
  });

  it.each([
    ['no boundary', 'multipart/form-data', '{"__proto__":{"x":1}}'],
    ['a boundary that never appears', 'multipart/form-data; boundary=xyz', 'hello'],
    ['a part cut off', 'multipart/form-data; boundary=b', '--b\r\nContent-Disposition: form-data; name="title"\r\n\r\nhal'],
  ])('regression (a malformed multipart body answered 500): %s answers 400', async (_name, contentType, body) => {
    const res = await call(server.url, 'POST', '/api/collections/fu_files/records', { body, headers: { 'content-type': contentType } });
    expect(res.status, res.text).toBe(400);
    expect(res.json).toMatchObject({ status: 400, message: 'Failed to load the submitted data due to invalid formatting.' });
  });
});
