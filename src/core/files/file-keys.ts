/** Storage keys in PocketBase's layout. */

/** `<collectionId>/<recordId>` (PocketBase's `record.BaseFilesPath()`). */
export function recordDirKey(collectionId: string, recordId: string): string {
  return `${collectionId}/${recordId}`;
}

/** `<collectionId>/<recordId>/<filename>`. */
export function fileKey(collectionId: string, recordId: string, filename: string): string {
  return `${recordDirKey(collectionId, recordId)}/${filename}`;
}

/** The folder holding a file's thumbs: `<collectionId>/<recordId>/thumbs_<filename>/`. */
export function thumbsPrefix(collectionId: string, recordId: string, filename: string): string {
  return `${recordDirKey(collectionId, recordId)}/thumbs_${filename}/`;
}

/** `<collectionId>/<recordId>/thumbs_<filename>/<size>_<filename>`. */
export function thumbKey(collectionId: string, recordId: string, filename: string, size: string): string {
  return `${thumbsPrefix(collectionId, recordId, filename)}${size}_${filename}`;
}

/** Whether a name is safe as one path segment (no separators, no dot-only names). */
export function isSafeFileName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[/\\\0]/.test(name);
}
