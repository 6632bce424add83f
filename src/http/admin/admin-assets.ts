import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** One built file of the admin UI, held in memory with its compressed forms. */
export interface AdminAsset {
  body: Buffer;
  gzip: Buffer | null;
  brotli: Buffer | null;
  type: string;
  etag: string;
  /** Vite's content-hashed files under assets/ never change: cache them for a year. */
  immutable: boolean;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt']);

/**
 * Reads the whole build (a few hundred kB) once, keyed by its path under /_/ (`index.html`,
 * `assets/index-abc.js`). Compressing at load time keeps every request a lookup.
 */
export async function loadAdminAssets(dir: string): Promise<Map<string, AdminAsset>> {
  const assets = new Map<string, AdminAsset>();
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    const key = relative(dir, file).split(sep).join('/');
    const body = await readFile(file);
    const ext = extname(entry.name).toLowerCase();
    const compress = COMPRESSIBLE.has(ext) && body.length > 1024;
    assets.set(key, {
      body,
      gzip: compress ? gzipSync(body, { level: 9 }) : null,
      brotli: compress ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }) : null,
      type: TYPES[ext] ?? 'application/octet-stream',
      etag: `"${createHash('sha1').update(body).digest('base64url').slice(0, 20)}"`,
      immutable: key.startsWith('assets/'),
    });
  }
  return assets;
}
