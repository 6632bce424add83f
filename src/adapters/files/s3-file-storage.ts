import type * as S3Sdk from '@aws-sdk/client-s3';
import type { ByteRange, FileAttributes, FileStorage, WriteOptions } from '../../core/files/file-storage.js';

/** PocketBase's `s3` settings. */
export interface S3Options {
  bucket: string;
  region: string;
  endpoint: string;
  accessKey: string;
  secret: string;
  forcePathStyle: boolean;
}

/** The part of the AWS client this adapter uses (tests pass a fake). */
export interface S3Sender {
  send(command: unknown): Promise<unknown>;
  destroy?(): void;
}

interface HeadOutput {
  ContentType?: string;
  ContentLength?: number;
  LastModified?: Date;
  Metadata?: Record<string, string>;
}
interface GetOutput {
  Body?: AsyncIterable<Uint8Array> & { transformToByteArray?: () => Promise<Uint8Array> };
}
interface ListOutput {
  Contents?: Array<{ Key?: string }>;
  IsTruncated?: boolean;
  NextContinuationToken?: string;
}

let sdkLoading: Promise<typeof S3Sdk> | null = null;

/** The AWS SDK (~20 MB resident, slow to import) is loaded on the first S3 call, not at start-up. */
function loadSdk(): Promise<typeof S3Sdk> {
  sdkLoading ??= import('@aws-sdk/client-s3').catch((err: unknown) => {
    sdkLoading = null;
    throw err;
  });
  return sdkLoading;
}

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
}

/**
 * Files in an S3-compatible bucket (AWS, MinIO, R2, B2…) with the same keys as the local layout;
 * the content type and `original-filename` travel as object metadata.
 */
export class S3FileStorage implements FileStorage {
  readonly #options: S3Options;
  readonly #bucket: string;
  #client: S3Sender | null;

  constructor(options: S3Options, client?: S3Sender) {
    this.#options = options;
    this.#bucket = options.bucket;
    this.#client = client ?? null;
  }

  /** Sends the command `make` builds from the SDK, creating the client on first use. */
  async #send(make: (sdk: typeof S3Sdk) => unknown): Promise<unknown> {
    const sdk = await loadSdk();
    const o = this.#options;
    this.#client ??= new sdk.S3Client({
      region: o.region || 'us-east-1',
      endpoint: o.endpoint || undefined,
      forcePathStyle: o.forcePathStyle,
      credentials: { accessKeyId: o.accessKey, secretAccessKey: o.secret },
    });
    return this.#client.send(make(sdk));
  }

  async write(key: string, data: Uint8Array, options: WriteOptions): Promise<void> {
    await this.#send((sdk) => new sdk.PutObjectCommand({
      Bucket: this.#bucket, Key: key, Body: data, ContentType: options.contentType, Metadata: options.metadata,
    }));
  }

  async attributes(key: string): Promise<FileAttributes | null> {
    try {
      const out = (await this.#send((sdk) => new sdk.HeadObjectCommand({ Bucket: this.#bucket, Key: key }))) as HeadOutput;
      return {
        contentType: out.ContentType ?? 'application/octet-stream',
        size: out.ContentLength ?? 0,
        modTime: out.LastModified ?? new Date(0),
        metadata: out.Metadata ?? {},
      };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async read(key: string): Promise<Uint8Array | null> {
    const body = await this.#get(key);
    if (!body) return null;
    if (body.transformToByteArray) return body.transformToByteArray();
    const chunks: Uint8Array[] = [];
    for await (const chunk of body) chunks.push(chunk);
    return Buffer.concat(chunks);
  }

  async stream(key: string, range?: ByteRange): Promise<AsyncIterable<Uint8Array> | null> {
    return (await this.#get(key, range)) ?? null;
  }

  async #get(key: string, range?: ByteRange): Promise<GetOutput['Body'] | null> {
    try {
      const out = (await this.#send((sdk) => new sdk.GetObjectCommand({
        Bucket: this.#bucket, Key: key, Range: range ? `bytes=${range.start}-${range.end}` : undefined,
      }))) as GetOutput;
      return out.Body ?? null;
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await this.#send((sdk) => new sdk.DeleteObjectCommand({ Bucket: this.#bucket, Key: key }));
  }

  async isEmptyDir(dir: string): Promise<boolean> {
    const prefix = dir.endsWith('/') ? dir : `${dir}/`;
    const out = (await this.#send((sdk) => new sdk.ListObjectsV2Command({ Bucket: this.#bucket, Prefix: prefix, MaxKeys: 1 }))) as ListOutput;
    return (out.Contents ?? []).length === 0;
  }

  async deletePrefix(prefix: string): Promise<void> {
    if (prefix === '' || prefix === '/') throw new Error('prefix must not be empty');
    let token: string | undefined;
    do {
      const continuation = token;
      const out = (await this.#send((sdk) => new sdk.ListObjectsV2Command({ Bucket: this.#bucket, Prefix: prefix, ContinuationToken: continuation }))) as ListOutput;
      const keys = (out.Contents ?? []).map((c) => c.Key).filter((k): k is string => typeof k === 'string');
      if (keys.length > 0) {
        await this.#send((sdk) => new sdk.DeleteObjectsCommand({ Bucket: this.#bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }));
      }
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
  }

  async close(): Promise<void> {
    this.#client?.destroy?.();
  }
}
