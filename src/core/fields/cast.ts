/**
 * Loose value casts with the semantics PocketBase gets from Go's `spf13/cast` and its own
 * `list.ToUniqueStringSlice`: they never throw, and junk becomes the type's zero value.
 * Field types use them in `prepareValue`, so a JSON body and a multipart body (all strings)
 * produce the same values.
 */

const DECIMAL_FLOAT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL_FLOAT = /^([+-]?)(inf|infinity|nan)$/i;

/** Go's `strconv.FormatFloat(f, 'f', -1, 64)`: shortest decimal without exponent. */
export function formatFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  const s = String(n);
  if (!s.includes('e')) return s;
  if (Number.isInteger(n)) return BigInt(n).toString();
  // small magnitudes: 1e-7 → 0.0000001
  const [mantissa = '', expPart = '0'] = s.split('e');
  const exp = Number(expPart);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const intLen = (mantissa.replace('-', '').split('.')[0] ?? '').length;
  const point = intLen + exp;
  const out = point <= 0 ? `0.${'0'.repeat(-point)}${digits}` : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return (negative ? '-' : '') + out;
}

/** `cast.ToString`: strings as-is, numbers in Go's float format, booleans as words, anything else "". */
export function toStr(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return formatFloat(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
      return '';
  }
}

/** Go's `strconv.ParseFloat` (decimal forms, inf/nan words); `undefined` when it would error. */
export function parseGoFloat(s: string): number | undefined {
  if (DECIMAL_FLOAT.test(s)) {
    const n = Number(s);
    return Number.isFinite(n) ? n : undefined; // out of range is an error (ErrRange) in Go
  }
  const m = SPECIAL_FLOAT.exec(s);
  if (m) {
    if ((m[2] ?? '').toLowerCase() === 'nan') return NaN;
    return m[1] === '-' ? -Infinity : Infinity;
  }
  return undefined;
}

/** `cast.ToFloat64`: numbers, numeric strings, booleans as 1/0; anything else 0. */
export function toFloat(value: unknown): number {
  switch (typeof value) {
    case 'number':
      return value;
    case 'bigint':
      return Number(value);
    case 'boolean':
      return value ? 1 : 0;
    case 'string':
      return parseGoFloat(value) ?? 0;
    default:
      return 0;
  }
}

const TRUE_WORDS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);

/** `cast.ToBool` (via `strconv.ParseBool`): "1", "t", "true"… are true, non-zero numbers are true. */
export function toBool(value: unknown): boolean {
  switch (typeof value) {
    case 'boolean':
      return value;
    case 'number':
      return value !== 0 && !Number.isNaN(value);
    case 'bigint':
      return value !== 0n;
    case 'string':
      return TRUE_WORDS.has(value);
    default:
      return false;
  }
}

/** Non-empty, de-duplicated, order kept (`list.NonzeroUniques`). */
export function nonzeroUniques(values: readonly string[]): string[] {
  if (values.length <= 8) {
    // the common short list (tags, a few relation ids): no Set to allocate
    const out: string[] = [];
    for (const v of values) if (v !== '' && !out.includes(v)) out.push(v);
    return out;
  }
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of values) {
    if (v === '' || seen.has(v)) continue;
    seen.add(v);
    out.push(v);
  }
  return out;
}

/**
 * `list.ToUniqueStringSlice`: an array (each item cast to string), a JSON array in a string, or a
 * single scalar; empty strings and duplicates are dropped.
 */
export function toUniqueStrings(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return nonzeroUniques(value.map(toStr));
  if (typeof value === 'string') {
    if (value === '') return [];
    if (value.includes('[')) {
      try {
        const parsed: unknown = JSON.parse(value);
        if (Array.isArray(parsed) && parsed.every((v) => typeof v === 'string')) return nonzeroUniques(parsed);
        if (Array.isArray(parsed)) return [value];
      } catch {
        // not a JSON array: a single value
      }
    }
    return [value];
  }
  if (typeof value === 'object') return [];
  return nonzeroUniques([toStr(value)]);
}

/** Length in Unicode code points (Go's `len([]rune(s))`, ozzo's `Length`). */
export function runeLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
