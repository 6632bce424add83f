import { ID_ALPHABET, randomString } from '../fields/random.js';

const EXT_INVALID_CHARS = /[^\w.*\-+=#]+/g;
const SNAKE_SPLIT = /[\W_]+/;

/**
 * The extension with its leading dot, double extensions included (`a.tar.gz` → `.tar.gz`,
 * `a.b.tar.gz` → `.tar.gz`), or `""`. PocketBase's `extractExtension`.
 */
export function extractExtension(name: string): string {
  const primary = name.lastIndexOf('.');
  if (primary === -1) return '';
  const secondary = name.lastIndexOf('.', primary - 1);
  return secondary >= 0 ? name.slice(secondary) : name.slice(primary);
}

/**
 * PocketBase's `inflector.Snakecase`: splits at non-word characters and underscores (ASCII `\w`),
 * inserts `_` before an upper-case letter that follows a non-upper-case one, lower-cases.
 * `myTestDB` → `my_test_db`, `300_UhLKX91HVb` → `300_uh_lkx91_hvb`.
 */
export function snakecase(value: string): string {
  let out = '';
  for (const word of value.split(SNAKE_SPLIT)) {
    if (word === '') continue;
    if (out.length > 0) out += '_';
    for (let i = 0; i < word.length; i++) {
      const c = word[i] ?? '';
      const prev = word[i - 1] ?? '';
      if (i > 0 && isUpper(c) && !isUpper(prev)) out += '_';
      out += c;
    }
  }
  return out.toLowerCase();
}

function isUpper(c: string): boolean {
  return c !== c.toLowerCase() && c === c.toUpperCase();
}

/**
 * The stored name of an upload, as PocketBase builds it: snake-cased base name (padded with a random
 * part when shorter than 3, cut at 100), `_` + 10 random `[a-z0-9]`, then the cleaned extension (or
 * the one detected from the content when the name has none; last 20 chars kept).
 * `Hello World.PNG` → `hello_world_a1b2c3d4e5.PNG`.
 */
export function normalizeFileName(originalName: string, detectedExtension = ''): string {
  const originalExt = extractExtension(originalName);
  let ext = originalExt.replace(EXT_INVALID_CHARS, '');
  if (ext === '') ext = detectedExtension;
  if (ext.length > 20) ext = '.' + ext.slice(ext.length - 20);
  let base = snakecase(originalName.slice(0, originalName.length - originalExt.length));
  if (base.length < 3) base += randomString(10, ID_ALPHABET);
  else if (base.length > 100) base = base.slice(0, 100);
  return `${base}_${randomString(10, ID_ALPHABET)}${ext}`;
}
