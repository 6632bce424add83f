import { setFlagsFromString } from 'node:v8';

/**
 * Field `pattern` options are written for Go's RE2 syntax. JavaScript's RegExp reads nearly all
 * of the patterns people use; this adapter covers the common differences (leading `(?i)`-style
 * flags, `(?P<name>`, `\A`, `\z`) and caches compiled patterns, since the same few run on every write.
 *
 * RE2 runs in linear time; V8's backtracking engine does not, so a pattern such as `^([a-z]+)+$`
 * froze the whole server for minutes on one submitted value (ReDoS). V8 switches a regex that
 * backtracks excessively to its linear-time engine when this flag is set (before the regex is
 * compiled), and that engine takes every RE2 construct; the RE2-only subset is enforced below by
 * refusing backreferences and lookarounds, which RE2 (hence PocketBase) refuses too.
 */
setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

/** Backreferences (`\1`, `\k<n>`) and lookarounds: not RE2, and they keep V8 on its backtracking engine. */
const NOT_RE2 = /\\[1-9]|\\k<|\(\?<?[=!]/;

const cache = new Map<string, RegExp>();
const CACHE_LIMIT = 500;

/** Compile a Go-syntax pattern; throws a SyntaxError when it is not a valid expression. */
export function compileGoRegex(pattern: string): RegExp {
  const hit = cache.get(pattern);
  if (hit) return hit;
  if (NOT_RE2.test(pattern)) throw new SyntaxError('backreferences and lookarounds are not supported (RE2 syntax)');
  let source = pattern;
  let flags = '';
  const lead = /^\(\?([imsU]+)\)/.exec(source);
  if (lead) {
    const goFlags = lead[1] ?? '';
    if (goFlags.includes('U')) throw new SyntaxError('ungreedy (?U) flag is not supported');
    for (const f of goFlags) if (!flags.includes(f)) flags += f;
    source = source.slice(lead[0].length);
  }
  source = source.replace(/\(\?P</g, '(?<').replace(/\\A/g, '^').replace(/\\z/g, '$(?![\\s\\S])');
  const re = new RegExp(source, flags);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, re);
  return re;
}

/** The compile error message, or null for a valid pattern. */
export function regexError(pattern: string): string | null {
  try {
    compileGoRegex(pattern);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** Go's `regexp.MatchString` (unanchored search); an invalid pattern never matches. */
export function matchesGoRegex(pattern: string, value: string): boolean {
  try {
    return compileGoRegex(pattern).test(value);
  } catch {
    return false;
  }
}
