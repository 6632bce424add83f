import { join } from 'node:path';
import type { FileStorage } from '../../core/files/file-storage.js';
import { LocalFileStorage } from './local-file-storage.js';
import { S3FileStorage } from './s3-file-storage.js';

/**
 * The file storage PocketBase's settings ask for: S3 when `s3.enabled`, else `<dataDir>/storage`.
 * Chosen at start-up; changing the `s3` settings takes effect on the next start.
 */
export function openFileStorage(dataDir: string, settings: Record<string, unknown>): FileStorage {
  const s3 = (settings['s3'] ?? {}) as Record<string, unknown>;
  if (s3['enabled'] === true) {
    const str = (v: unknown) => (typeof v === 'string' ? v : '');
    return new S3FileStorage({
      bucket: str(s3['bucket']),
      region: str(s3['region']),
      endpoint: str(s3['endpoint']),
      accessKey: str(s3['accessKey']),
      secret: str(s3['secret']),
      forcePathStyle: s3['forcePathStyle'] === true,
    });
  }
  return new LocalFileStorage(join(dataDir, 'storage'));
}
