import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PlinthApp } from '../../core/app.js';
import { errors } from '../../core/errors/plinth-error.js';
import type { FileDownload } from '../../core/files/file-service.js';
import type { ByteRange } from '../../core/files/file-storage.js';
import type { IncomingFile } from '../../core/records/record-files.js';
import type { UploadedFile } from '../request-body.js';
import { buildRequestInfo } from '../request-info.js';
import { sendError } from '../server.js';

interface FileParams {
  collection: string;
  recordId: string;
  filename: string;
}
type Query = Record<string, string | string[] | undefined>;

const CSP = "default-src 'none'; media-src 'self'; style-src 'unsafe-inline'; sandbox";
const CACHE_CONTROL = 'max-age=2592000, stale-while-revalidate=86400';
/** Files up to this size are read whole and sent from memory; larger ones are streamed. */
const BUFFER_LIMIT = 4 << 20;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Multipart file parts as the core's uploads input (keyed by their form field name). */
export function incomingFiles(files: readonly UploadedFile[]): IncomingFile[] {
  return files.map((f) => ({ key: f.field, filename: f.filename, data: f.data }));
}

/**
 * Parses a `Range: bytes=…` header for a file of `size` bytes: the first range only (PocketBase,
 * through Go's ServeContent, also answers several ranges as multipart; one is what players and
 * download managers send). `null`: serve the whole file; `'unsatisfiable'`: answer 416.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | null | 'unsatisfiable' {
  if (!header) return null;
  const match = /^bytes=\s*(\d*)\s*-\s*(\d*)\s*(,.*)?$/.exec(header.trim());
  if (!match) return null;
  const [, startText = '', endText = ''] = match;
  if (startText === '' && endText === '') return null;
  if (startText === '') {
    const suffix = Number(endText);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(startText);
  if (start >= size) return 'unsatisfiable';
  const end = endText === '' ? size - 1 : Math.min(Number(endText), size - 1);
  if (end < start) return null;
  return { start, end };
}

function notModified(request: FastifyRequest, modTime: Date): boolean {
  const since = request.headers['if-modified-since'];
  if (!since || request.headers['if-none-match']) return false;
  const t = Date.parse(since);
  return Number.isFinite(t) && Math.floor(modTime.getTime() / 1000) * 1000 <= t;
}

async function sendFile(app: PlinthApp, request: FastifyRequest, reply: FastifyReply, file: FileDownload): Promise<FastifyReply> {
  const { attributes } = file;
  reply.removeHeader('x-frame-options');
  reply.header('content-disposition', `${file.disposition}; filename=${file.name}`);
  reply.header('content-type', file.contentType);
  reply.header('content-security-policy', CSP);
  reply.header('cache-control', CACHE_CONTROL);
  reply.header('accept-ranges', 'bytes');
  if (attributes.modTime.getTime() > 0) reply.header('last-modified', attributes.modTime.toUTCString());
  if (notModified(request, attributes.modTime)) return reply.status(304).send();

  const ifRange = request.headers['if-range'];
  const rangeAllowed = !ifRange || ifRange === attributes.modTime.toUTCString();
  const range = rangeAllowed ? parseRange(request.headers.range, attributes.size) : null;
  if (range === 'unsatisfiable') {
    reply.header('content-range', `bytes */${attributes.size}`);
    return reply.status(416).type('text/plain').send('invalid range: failed to overlap');
  }
  const length = range ? range.end - range.start + 1 : attributes.size;
  if (range) {
    reply.status(206);
    reply.header('content-range', `bytes ${range.start}-${range.end}/${attributes.size}`);
  }
  reply.header('content-length', String(length));
  if (request.method === 'HEAD' || length === 0) return reply.send();
  if (attributes.size <= BUFFER_LIMIT) {
    // small files are sent from memory: faster, and the response is complete when the client has it
    const data = await app.files.storage.read(file.key);
    if (!data) return sendError(reply, errors.notFound());
    return reply.send(Buffer.from(data.buffer, data.byteOffset, data.byteLength).subarray(range?.start ?? 0, (range?.end ?? data.byteLength - 1) + 1));
  }
  const stream = await app.files.storage.stream(file.key, range ?? undefined);
  if (!stream) return sendError(reply, errors.notFound());
  return reply.send(stream instanceof Readable ? stream : Readable.from(stream));
}

/** `POST /api/files/token` and `GET|HEAD /api/files/{collection}/{recordId}/{filename}`. */
export function filesRoutes(server: FastifyInstance, app: PlinthApp): void {
  server.post('/api/files/token', async (request) => {
    return { token: await app.files.fileToken(buildRequestInfo(request)) };
  });

  server.get<{ Params: FileParams }>('/api/files/:collection/:recordId/:filename', async (request, reply) => {
    const query = request.query as Query;
    const file = await app.files.download({
      collection: request.params.collection,
      recordId: request.params.recordId,
      filename: request.params.filename,
      thumb: first(query['thumb']),
      token: first(query['token']),
      download: first(query['download']),
      request: buildRequestInfo(request),
    });
    return sendFile(app, request, reply, file);
  });
}
