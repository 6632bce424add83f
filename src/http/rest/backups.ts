import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PlinthApp } from '../../core/app.js';
import { errors } from '../../core/errors/plinth-error.js';
import { ozzo } from '../../core/fields/field-errors.js';
import { isSuperuser } from '../../core/request-info.js';
import { readRequestBody } from '../request-body.js';
import { requireSuperuser } from '../../core/auth/superuser-guard.js';

/** Uploaded backups skip the default body limit (PocketBase's behaviour): 64 GiB. */
const UPLOAD_LIMIT = 64 * 1024 ** 3;

function keyParam(request: FastifyRequest): string {
  return (request.params as { key: string }).key;
}

/** Streams the multipart `file` part to a temp file inside the data dir; null when missing. */
async function receiveUpload(request: FastifyRequest, dataDir: string): Promise<{ dir: string; file: string; name: string } | null> {
  if (!request.isMultipart()) return null;
  for await (const part of request.parts({ limits: { fileSize: UPLOAD_LIMIT } })) {
    if (part.type !== 'file' || part.fieldname !== 'file' || !part.filename) {
      if (part.type === 'file') part.file.resume();
      continue;
    }
    const dir = mkdtempSync(join(dataDir, '.pb_temp_upload_'));
    const file = join(dir, 'upload.zip');
    try {
      await pipeline(part.file, createWriteStream(file));
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    return { dir, file, name: part.filename };
  }
  return null;
}

/**
 * `/api/backups` (superusers; downloads with a superuser file token): list, create, upload,
 * download, delete and restore. A restore answers once the archive is checked; the server then
 * restarts on the restored data and logs what it replaced.
 */
export function backupsRoutes(server: FastifyInstance, app: PlinthApp): void {
  const backups = () => app.ops.backups;

  server.get('/api/backups', async (request) => {
    requireSuperuser(request);
    return backups().list();
  });

  server.post('/api/backups', async (request, reply) => {
    requireSuperuser(request);
    const { data } = await readRequestBody(request);
    await backups().create(typeof data.name === 'string' ? data.name : '');
    return reply.status(204).send();
  });

  server.post('/api/backups/upload', { bodyLimit: UPLOAD_LIMIT }, async (request, reply) => {
    requireSuperuser(request);
    const upload = await receiveUpload(request, app.dataDir);
    if (!upload) throw errors.badRequest('An error occurred while validating the submitted data.', { file: ozzo.required() });
    try {
      await backups().upload(upload.name, upload.file);
    } finally {
      rmSync(upload.dir, { recursive: true, force: true });
    }
    return reply.status(204).send();
  });

  server.get('/api/backups/:key', async (request, reply) => {
    const token = String((request.query as Record<string, unknown>).token ?? '').trim();
    const auth = token ? await app.auth.findByToken(token, 'file') : null;
    if (!isSuperuser({ auth })) throw errors.forbidden('Insufficient permissions to access the resource.');
    const key = keyParam(request);
    const found = await backups().storage.read(key);
    if (!found) throw errors.notFound();
    reply.header('content-disposition', `attachment; filename=${JSON.stringify(key)}`);
    reply.header('content-length', String(found.size));
    reply.type('application/zip');
    return reply.send(found.stream instanceof Readable ? found.stream : Readable.from(found.stream));
  });

  server.delete('/api/backups/:key', async (request, reply) => {
    requireSuperuser(request);
    await backups().delete(keyParam(request));
    return reply.status(204).send();
  });

  server.post('/api/backups/:key/restore', async (request, reply) => {
    requireSuperuser(request);
    const key = keyParam(request);
    const { done } = await backups().restore(key);
    done.catch((err: unknown) => request.log.error({ err }, `restore of ${key} failed`));
    return reply.status(204).send();
  });
}
