/**
 * Crypto-random strings: record ids, token keys and the values of text fields with an
 * `autogeneratePattern` (PocketBase's `security.RandomStringByRegex`).
 */
import { randomFillSync } from 'node:crypto';

export const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const DEFAULT_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const RECORD_ID_LENGTH = 15;

/**
 * Random bytes are drawn from a pool refilled 4 KiB at a time (as nanoid does): one
 * `randomBytes` call per character cost ~6 % of a record create.
 */
const POOL = Buffer.allocUnsafe(4096);
let poolOffset = POOL.length;

function randomByte(): number {
  if (poolOffset >= POOL.length) {
    randomFillSync(POOL);
    poolOffset = 0;
  }
  return POOL[poolOffset++] ?? 0;
}

/** The characters of an alphabet, split once: the same few alphabets are used on every record write. */
const alphabetCache = new Map<string, readonly string[]>();
const CACHE_LIMIT = 64;

function alphabetChars(alphabet: string): readonly string[] {
  let chars = alphabetCache.get(alphabet);
  if (!chars) {
    chars = [...alphabet];
    if (alphabetCache.size >= CACHE_LIMIT) alphabetCache.clear();
    alphabetCache.set(alphabet, chars);
  }
  return chars;
}

/**
 * `length` characters drawn uniformly from `alphabet` (rejection sampling over random bytes, so
 * there is no modulo bias). The alphabet may hold up to 256 distinct characters.
 */
export function randomString(length: number, alphabet: string = DEFAULT_ALPHABET): string {
  const chars = alphabetChars(alphabet);
  const n = chars.length;
  if (n === 0 || n > 256) throw new RangeError('randomString: alphabet must hold 1 to 256 characters');
  if (length <= 0) return '';
  const limit = 256 - (256 % n); // bytes >= limit would bias the result
  let out = '';
  while (out.length < length) {
    const b = randomByte();
    if (b < limit) out += chars[b % n];
  }
  return out;
}

/** A new PocketBase record id: 15 characters of `[a-z0-9]`. */
export function newRecordId(): string {
  return randomString(RECORD_ID_LENGTH, ID_ALPHABET);
}

/** An unbiased integer in [0, n) for n up to 2^16. */
function randomInt(n: number): number {
  if (n <= 1) return 0;
  if (n <= 256) {
    const limit = 256 - (256 % n);
    for (;;) {
      const b = randomByte();
      if (b < limit) return b % n;
    }
  }
  const limit = 65536 - (65536 % n);
  for (;;) {
    const v = (randomByte() << 8) | randomByte();
    if (v < limit) return v % n;
  }
}

// --- pattern-driven generation -------------------------------------------------------------

/** What `.` and negated classes draw from: printable ASCII. */
const PRINTABLE = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i));
const DIGITS = '0123456789'.split('');
const WORD = [...DEFAULT_ALPHABET, '_'];
const SPACE = [' ', '\t', '\n', '\r', '\f', '\v'];
/** Upper bound of extra repetitions for `*`, `+` and `{n,}`. */
const OPEN_REPEAT_EXTRA = 10;

type Node =
  | { kind: 'chars'; set: string[] }
  | { kind: 'group'; alternatives: Item[][] }
  | { kind: 'empty' };
interface Item {
  node: Node;
  min: number;
  max: number;
}

class PatternParser {
  private pos = 0;
  constructor(private readonly src: string) {}

  parse(): Item[][] {
    const alts = this.alternatives();
    if (this.pos < this.src.length) throw new SyntaxError(`unexpected ${JSON.stringify(this.src[this.pos])} at ${this.pos}`);
    return alts;
  }

  private alternatives(): Item[][] {
    const alts: Item[][] = [this.sequence()];
    while (this.src[this.pos] === '|') {
      this.pos++;
      alts.push(this.sequence());
    }
    return alts;
  }

  private sequence(): Item[] {
    const items: Item[] = [];
    while (this.pos < this.src.length && this.src[this.pos] !== '|' && this.src[this.pos] !== ')') {
      const node = this.atom();
      const [min, max] = this.quantifier();
      items.push({ node, min, max });
    }
    return items;
  }

  private atom(): Node {
    const c = this.src[this.pos++] ?? '';
    switch (c) {
      case '^':
      case '$':
        return { kind: 'empty' };
      case '.':
        return { kind: 'chars', set: PRINTABLE };
      case '[':
        return { kind: 'chars', set: this.charClass() };
      case '(': {
        if (this.src[this.pos] === '?') {
          const m = /^\?(?::|P?<[A-Za-z_]\w*>)/.exec(this.src.slice(this.pos));
          if (!m) throw new SyntaxError(`unsupported group syntax at ${this.pos}`);
          this.pos += m[0].length;
        }
        const alternatives = this.alternatives();
        if (this.src[this.pos] !== ')') throw new SyntaxError('missing closing )');
        this.pos++;
        return { kind: 'group', alternatives };
      }
      case '\\':
        return { kind: 'chars', set: this.escape() };
      case '*':
      case '+':
      case '?':
      case '{':
        if (c === '{' && !/^\d/.test(this.src.slice(this.pos))) return { kind: 'chars', set: ['{'] };
        throw new SyntaxError(`missing argument to repetition operator: ${c}`);
      case ')':
        throw new SyntaxError('unexpected )');
      default:
        return { kind: 'chars', set: [c] };
    }
  }

  /** After a backslash: a class shorthand, a control escape or an escaped punctuation character. */
  private escape(): string[] {
    const c = this.src[this.pos++];
    switch (c) {
      case undefined:
        throw new SyntaxError('trailing backslash at end of expression');
      case 'd':
        return DIGITS;
      case 'w':
        return WORD;
      case 's':
        return SPACE;
      case 'n':
        return ['\n'];
      case 't':
        return ['\t'];
      case 'r':
        return ['\r'];
      case 'D':
      case 'W':
      case 'S': {
        const excluded = new Set(c === 'D' ? DIGITS : c === 'W' ? WORD : SPACE);
        return PRINTABLE.filter((ch) => !excluded.has(ch));
      }
      default:
        if (/[A-Za-z0-9]/.test(c)) throw new SyntaxError(`invalid escape sequence: \\${c}`);
        return [c];
    }
  }

  private charClass(): string[] {
    let negate = false;
    if (this.src[this.pos] === '^') {
      negate = true;
      this.pos++;
    }
    const set = new Set<string>();
    let first = true;
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined) throw new SyntaxError('missing closing ]');
      if (c === ']' && !first) {
        this.pos++;
        break;
      }
      first = false;
      this.pos++;
      let from: string[];
      if (c === '\\') from = this.escape();
      else from = [c];
      // a range a-z
      if (from.length === 1 && this.src[this.pos] === '-' && this.src[this.pos + 1] !== undefined && this.src[this.pos + 1] !== ']') {
        this.pos++;
        let endChar = this.src[this.pos++] ?? '';
        if (endChar === '\\') {
          const esc = this.escape();
          if (esc.length !== 1) throw new SyntaxError('invalid character class range');
          endChar = esc[0] ?? '';
        }
        const start = (from[0] ?? '').codePointAt(0) ?? 0;
        const end = endChar.codePointAt(0) ?? 0;
        if (end < start) throw new SyntaxError(`invalid character class range: ${from[0]}-${endChar}`);
        if (end - start > 0xffff) throw new SyntaxError('character class range too large');
        for (let cp = start; cp <= end; cp++) set.add(String.fromCodePoint(cp));
        continue;
      }
      for (const ch of from) set.add(ch);
    }
    const result = negate ? PRINTABLE.filter((ch) => !set.has(ch)) : [...set];
    if (result.length === 0) throw new SyntaxError('empty character class');
    return result;
  }

  private quantifier(): [number, number] {
    const c = this.src[this.pos];
    let range: [number, number] = [1, 1];
    if (c === '*') range = [0, OPEN_REPEAT_EXTRA];
    else if (c === '+') range = [1, 1 + OPEN_REPEAT_EXTRA];
    else if (c === '?') range = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(this.src.slice(this.pos));
      if (!m) return range; // a literal "{"
      const min = Number(m[1]);
      const max = m[2] ? (m[3] ? Number(m[3]) : min + OPEN_REPEAT_EXTRA) : min;
      if (max < min || max > 1000) throw new SyntaxError(`invalid repeat count: ${m[0]}`);
      this.pos += m[0].length;
      if (this.src[this.pos] === '?') this.pos++; // lazy suffix: no effect on generation
      return [min, max];
    } else return range;
    this.pos++;
    if (this.src[this.pos] === '?') this.pos++;
    return range;
  }
}

function generate(alternatives: Item[][]): string {
  const seq = alternatives[alternatives.length === 1 ? 0 : randomInt(alternatives.length)] ?? [];
  let out = '';
  for (const item of seq) {
    const count = item.min + randomInt(item.max - item.min + 1);
    for (let i = 0; i < count; i++) {
      const node = item.node;
      if (node.kind === 'chars') out += node.set[node.set.length === 1 ? 0 : randomInt(node.set.length)];
      else if (node.kind === 'group') out += generate(node.alternatives);
    }
  }
  return out;
}

/**
 * A random string matching a simple regular expression, such as `[a-z0-9]{15}` or
 * `users[0-9]{5}`: literals and escapes, character classes with ranges (and negation, drawn
 * from printable ASCII), `.`, `\d \w \s`, groups with `|`, and the quantifiers `? * + {n} {n,m}
 * {n,}` (open-ended ones add at most 10 repetitions). Anchors are ignored. Throws a SyntaxError for
 * anything else (lookarounds, backreferences…).
 */
export function randomStringFromPattern(pattern: string): string {
  let parsed = patternCache.get(pattern);
  if (!parsed) {
    parsed = new PatternParser(pattern).parse();
    if (patternCache.size >= CACHE_LIMIT) patternCache.clear();
    patternCache.set(pattern, parsed);
  }
  return generate(parsed);
}

/** Parsed patterns (read-only once built): a collection's id pattern runs on every record create. */
const patternCache = new Map<string, Item[][]>();

/** Check a pattern can be generated from; returns the error message or null. */
export function patternGenerationError(pattern: string): string | null {
  try {
    new PatternParser(pattern).parse();
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
