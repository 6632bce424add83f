import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { sniffContentType } from '../../core/files/file-sniff.js';
import type { ByteRange, FileAttributes, FileStorage, WriteOptions } from '../../core/files/file-storage.js';

/** The `.attrs` sidecar PocketBase's local driver (gocloud fileblob) writes next to each file. */
interface AttrsFile {
  'user.cache_control': string;
  'user.content_disposition': string;
  'user.content_encoding': string;
  'user.content_language': string;
  'user.content_type': string;
  'user.metadata': Record<string, string> | null;
  md5: string;
}

const ATTRS_SUFFIX = '.attrs';

/**
 * Files on local disk in PocketBase's layout: `<root>/<collectionId>/<recordId>/<filename>` with a
 * `<filename>.attrs` JSON sidecar (content type, metadata, md5), so a PocketBase `storage/` folder
 * is served as is and PocketBase can read what Plinth writes.
 */
export class LocalFileStorage implements FileStorage {
  readonly #root: string;

  constructor(root: string) {
    this.#root = resolve(root);
  }

  #path(key: string): string {
    const parts = key.split('/').filter((p) => p !== '');
    if (parts.length === 0 || parts.some((p) => p === '.' || p === '..' || p.includes('\\') || p.includes('\0'))) {
      throw new Error(`invalid file key: ${key}`);
    }
    const path = join(this.#root, ...parts);
    if (!path.startsWith(this.#root + sep)) throw new Error(`invalid file key: ${key}`);
    return path;
  }

  async write(key: string, data: Uint8Array, options: WriteOptions): Promise<void> {
    const path = this.#path(key);
    await mkdir(dirname(path), { recursive: true });
    const attrs: AttrsFile = {
      'user.cache_control': '',
      'user.content_disposition': '',
      'user.content_encoding': '',
      'user.content_language': '',
      'user.content_type': options.contentType,
      'user.metadata': options.metadata && Object.keys(options.metadata).length > 0 ? options.metadata : null,
      md5: createHash('md5').update(data).digest('base64'),
    };
    const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(tmp, data);
    await writeFile(path + ATTRS_SUFFIX, JSON.stringify(attrs));
    await rename(tmp, path);
  }

  async attributes(key: string): Promise<FileAttributes | null> {
    const path = this.#path(key);
    let info;
    try {
      info = await stat(path);
    } catch {
      return null;
    }
    if (!info.isFile()) return null;
    let attrs: Partial<AttrsFile> = {};
    try {
      attrs = JSON.parse(await readFile(path + ATTRS_SUFFIX, 'utf8')) as Partial<AttrsFile>;
    } catch {
      // no sidecar: detect the type from the content
    }
    let contentType = typeof attrs['user.content_type'] === 'string' ? attrs['user.content_type'] : '';
    if (!contentType) contentType = (await sniffContentType(await this.#head(path))).contentType;
    const metadata = attrs['user.metadata'] && typeof attrs['user.metadata'] === 'object' ? attrs['user.metadata'] : {};
    return { contentType, size: info.size, modTime: info.mtime, metadata };
  }

  async #head(path: string): Promise<Uint8Array> {
    const chunks: Buffer[] = [];
    for await (const chunk of createReadStream(path, { start: 0, end: 4095 })) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async read(key: string): Promise<Uint8Array | null> {
    try {
      return await readFile(this.#path(key));
    } catch {
      return null;
    }
  }

  async stream(key: string, range?: ByteRange): Promise<AsyncIterable<Uint8Array> | null> {
    const path = this.#path(key);
    try {
      const info = await stat(path);
      if (!info.isFile()) return null;
    } catch {
      return null;
    }
    return createReadStream(path, range ? { start: range.start, end: range.end } : {});
  }

  async delete(key: string): Promise<void> {
    const path = this.#path(key);
    await rm(path, { force: true });
    await rm(path + ATTRS_SUFFIX, { force: true });
  }

  async isEmptyDir(dir: string): Promise<boolean> {
    try {
      return (await readdir(this.#path(dir.replace(/\/+$/, '')))).length === 0;
    } catch {
      return true;
    }
  }

  async deletePrefix(prefix: string): Promise<void> {
    if (prefix === '' || prefix === '/') throw new Error('prefix must not be empty');
    if (prefix.endsWith('/')) {
      await rm(this.#path(prefix.slice(0, -1)), { recursive: true, force: true });
      return;
    }
    const path = this.#path(prefix);
    const dir = dirname(path);
    const start = path.slice(dir.length + 1);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (name.startsWith(start)) await rm(join(dir, name), { recursive: true, force: true });
    }
  }
}
