/** A content type detected from a file's bytes, with the extension that goes with it. */
export interface SniffedType {
  /** e.g. `image/png`, `text/plain; charset=utf-8`, `application/octet-stream`. */
  contentType: string;
  /** With the leading dot, e.g. `.png`; `""` when unknown. */
  extension: string;
}

const OCTET: SniffedType = { contentType: 'application/octet-stream', extension: '' };
const HTML_START = /^<(!doctype html|html|head|body|script|iframe|h1|div|font|table|a|style|title|b|br|p|!--)[\s>]/i;

function isUtf8Text(data: Uint8Array): boolean {
  const sample = data.subarray(0, 4096);
  if (sample.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample.length < data.length ? trimPartial(sample) : sample);
    return true;
  } catch {
    return false;
  }
}

/** Drops a multi-byte sequence cut at the end of a sample. */
function trimPartial(sample: Uint8Array): Uint8Array {
  const end = sample.length;
  for (let i = 1; i <= 3 && end - i >= 0; i++) {
    const b = sample[end - i] ?? 0;
    if ((b & 0xc0) === 0xc0) return sample.subarray(0, end - i);
    if ((b & 0x80) === 0) break;
  }
  return sample;
}

function sniffText(data: Uint8Array): SniffedType {
  if (!isUtf8Text(data)) return OCTET;
  const head = new TextDecoder().decode(data.subarray(0, 1024)).replace(/^\uFEFF/, '').trimStart();
  const lower = head.toLowerCase();
  if (HTML_START.test(head)) return { contentType: 'text/html; charset=utf-8', extension: '.html' };
  if (lower.startsWith('<svg') || (lower.startsWith('<?xml') && lower.includes('<svg'))) {
    return { contentType: 'image/svg+xml', extension: '.svg' };
  }
  if (lower.startsWith('<?xml')) return { contentType: 'text/xml; charset=utf-8', extension: '.xml' };
  if (/^[[{]/.test(head)) {
    try {
      JSON.parse(new TextDecoder().decode(data));
      return { contentType: 'application/json', extension: '.json' };
    } catch {
      // plain text that starts with a bracket
    }
  }
  return { contentType: 'text/plain; charset=utf-8', extension: '.txt' };
}

/**
 * The content type of `data`, from its bytes only (never from a name): binary formats by their
 * magic numbers (file-type), then text formats (HTML, SVG, XML, JSON, UTF-8 text) the way
 * PocketBase's detector names them; `application/octet-stream` otherwise.
 */
export async function sniffContentType(data: Uint8Array): Promise<SniffedType> {
  if (data.length === 0) return { contentType: 'text/plain', extension: '.txt' };
  // imported on the first upload: the detector's tables cost ~5 MB of a server that serves none
  const { fileTypeFromBuffer } = await import('file-type');
  const found = await fileTypeFromBuffer(data);
  if (found) {
    if (found.mime === 'application/xml') return sniffText(data);
    return { contentType: found.mime, extension: `.${found.ext}` };
  }
  return sniffText(data);
}

/** The base type without parameters, lower-cased: `Text/Plain; charset=utf-8` → `text/plain`. */
export function baseContentType(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}
