/**
 * The file storage port: a flat key/value blob store with PocketBase's key layout
 * (`<collectionId>/<recordId>/<filename>`, thumbs under `<…>/thumbs_<filename>/<size>_<filename>`).
 * Adapters: local disk (src/adapters/files/local-file-storage.ts) and S3-compatible
 * (src/adapters/files/s3-file-storage.ts).
 */

/** What a stored blob carries besides its bytes. */
export interface FileAttributes {
  /** The content type detected from the bytes at upload time (e.g. `text/plain; charset=utf-8`). */
  contentType: string;
  size: number;
  modTime: Date;
  /** User metadata, e.g. `original-filename`. */
  metadata: Record<string, string>;
}

export interface WriteOptions {
  contentType: string;
  metadata?: Record<string, string>;
}

/** An inclusive byte range, as HTTP `Range` describes it. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface FileStorage {
  /** Writes (or overwrites) the blob at `key`. */
  write(key: string, data: Uint8Array, options: WriteOptions): Promise<void>;
  /** The blob's attributes, or null when it does not exist. */
  attributes(key: string): Promise<FileAttributes | null>;
  /** The whole blob, or null when it does not exist. */
  read(key: string): Promise<Uint8Array | null>;
  /** A stream of the blob (or of `range` of it), or null when it does not exist. */
  stream(key: string, range?: ByteRange): Promise<AsyncIterable<Uint8Array> | null>;
  /** Deletes the blob; a missing blob is not an error. */
  delete(key: string): Promise<void>;
  /** Deletes every blob whose key starts with `prefix` (a `dir/` prefix also removes the folder). */
  deletePrefix(prefix: string): Promise<void>;
  /** Whether no blob's key starts with `dir` (a `dir/` prefix). */
  isEmptyDir(dir: string): Promise<boolean>;
  close?(): Promise<void>;
}

/**
 * Makes thumbnails. `size` is a PocketBase thumb size (`WxH`, `WxHt`, `WxHb`, `WxHf`, `0xH`, `Wx0`);
 * the output keeps the input's format. Throws when the input cannot be decoded.
 */
export interface ThumbMaker {
  thumb(input: Uint8Array, size: string): Promise<Uint8Array>;
}
