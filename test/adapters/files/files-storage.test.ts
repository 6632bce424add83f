import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalFileStorage } from '../../../src/adapters/files/local-file-storage.js';
import { S3FileStorage, type S3Sender } from '../../../src/adapters/files/s3-file-storage.js';

async function collect(stream: AsyncIterable<Uint8Array> | null): Promise<string> {
  if (!stream) return '<null>';
  const chunks: Uint8Array[] = [];
  for await (const c of stream) chunks.push(c);
  return Buffer.concat(chunks).toString();
}

describe('LocalFileStorage (PocketBase layout)', () => {
  const root = mkdtempSync(join(tmpdir(), 'plinth-files-'));
  const storage = new LocalFileStorage(root);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('writes the file with a PocketBase .attrs sidecar and reads it back', async () => {
    await storage.write('c1/r1/a.txt', Buffer.from('hello'), { contentType: 'text/plain; charset=utf-8', metadata: { 'original-filename': 'a.txt' } });
    const attrs = JSON.parse(readFileSync(join(root, 'c1/r1/a.txt.attrs'), 'utf8'));
    expect(attrs).toEqual({
      'user.cache_control': '', 'user.content_disposition': '', 'user.content_encoding': '', 'user.content_language': '',
      'user.content_type': 'text/plain; charset=utf-8', 'user.metadata': { 'original-filename': 'a.txt' }, md5: 'XUFAKrxLKna5cZ2REBfFkg==',
    });
    expect(await storage.attributes('c1/r1/a.txt')).toMatchObject({ contentType: 'text/plain; charset=utf-8', size: 5, metadata: { 'original-filename': 'a.txt' } });
    expect(await collect(await storage.stream('c1/r1/a.txt', { start: 1, end: 3 }))).toBe('ell');
    expect(await storage.attributes('c1/r1/missing.txt')).toBeNull();
    expect(await storage.stream('c1/r1/missing.txt')).toBeNull();
  });

  it('deletes files with their sidecar, prefixes and whole folders', async () => {
    await storage.write('c1/r2/b.png', Buffer.from('x'), { contentType: 'image/png' });
    await storage.write('c1/r2/thumbs_b.png/10x10_b.png', Buffer.from('t'), { contentType: 'image/png' });
    await storage.deletePrefix('c1/r2/thumbs_b.png/');
    expect(await storage.attributes('c1/r2/thumbs_b.png/10x10_b.png')).toBeNull();
    expect(await storage.isEmptyDir('c1/r2/')).toBe(false);
    await storage.delete('c1/r2/b.png');
    expect(await storage.isEmptyDir('c1/r2/')).toBe(true);
    await storage.deletePrefix('c1/r2/');
    expect(await storage.isEmptyDir('c1/r2/')).toBe(true);
  });

  it('refuses keys that leave the root', async () => {
    await expect(storage.write('../x', Buffer.from('x'), { contentType: 'text/plain' })).rejects.toThrow(/invalid file key/);
    await expect(storage.attributes('c1/../../x')).rejects.toThrow(/invalid file key/);
  });
});

describe('S3FileStorage request shaping (no S3 server here: a recording fake client)', () => {
  function fake(responses: Record<string, unknown> = {}) {
    const sent: Array<{ name: string; input: Record<string, unknown> }> = [];
    const client: S3Sender = {
      async send(command: unknown) {
        const c = command as { constructor: { name: string }; input: Record<string, unknown> };
        sent.push({ name: c.constructor.name, input: c.input });
        const response = responses[c.constructor.name];
        if (response instanceof Error) throw response;
        return response ?? {};
      },
    };
    return { sent, storage: new S3FileStorage({ bucket: 'b', region: 'r', endpoint: 'http://s3.local', accessKey: 'k', secret: 's', forcePathStyle: true }, client) };
  }

  it('puts objects with content type and metadata', async () => {
    const { sent, storage } = fake();
    await storage.write('c/r/a.txt', Buffer.from('hi'), { contentType: 'text/plain', metadata: { 'original-filename': 'a.txt' } });
    expect(sent[0]?.name).toBe(PutObjectCommand.name);
    expect(sent[0]?.input).toMatchObject({ Bucket: 'b', Key: 'c/r/a.txt', ContentType: 'text/plain', Metadata: { 'original-filename': 'a.txt' } });
  });

  it('maps HEAD to attributes and 404 to null', async () => {
    const when = new Date('2024-01-01T00:00:00Z');
    const { storage } = fake({ HeadObjectCommand: { ContentType: 'image/png', ContentLength: 3, LastModified: when, Metadata: {} } });
    expect(await storage.attributes('k')).toEqual({ contentType: 'image/png', size: 3, modTime: when, metadata: {} });
    const notFound = Object.assign(new Error('nf'), { name: 'NotFound' });
    expect(await fake({ HeadObjectCommand: notFound }).storage.attributes('k')).toBeNull();
    expect(HeadObjectCommand.name).toBe('HeadObjectCommand');
  });

  it('sends ranges as a Range header', async () => {
    async function* body() {
      yield Buffer.from('abc');
    }
    const { sent, storage } = fake({ GetObjectCommand: { Body: body() } });
    expect(await collect(await storage.stream('k', { start: 2, end: 9 }))).toBe('abc');
    expect(sent[0]).toEqual({ name: GetObjectCommand.name, input: { Bucket: 'b', Key: 'k', Range: 'bytes=2-9' } });
  });

  it('deletes a prefix page by page', async () => {
    const { sent, storage } = fake({ ListObjectsV2Command: { Contents: [{ Key: 'c/r/a' }, { Key: 'c/r/b' }], IsTruncated: false } });
    await storage.deletePrefix('c/r/');
    await storage.delete('c/r/z');
    expect(sent.map((s) => s.name)).toEqual([ListObjectsV2Command.name, DeleteObjectsCommand.name, DeleteObjectCommand.name]);
    expect(sent[0]?.input).toMatchObject({ Prefix: 'c/r/' });
    expect(sent[1]?.input).toMatchObject({ Delete: { Objects: [{ Key: 'c/r/a' }, { Key: 'c/r/b' }] } });
  });
});
