/**
 * `?` → `$n` rewriting for PostgreSQL. The store writes `?` placeholders for every dialect; a `?`
 * inside a string literal (`'…'`, `E'…'`), a quoted identifier (`"…"`), a dollar-quoted body
 * (`$tag$…$tag$`) or a comment is left alone. Results are cached by SQL text.
 */

import { setBounded } from '../bounded-map.js';

const CACHE_SIZE = 1000;
const cache = new Map<string, string>();

/** Index just past the end of the quoted run that starts at `start` (with `quote` doubled inside). */
function skipQuoted(sql: string, start: number, quote: string, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (backslashEscapes && c === '\\') {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (sql[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return i;
}

const DOLLAR_TAG = /^\$([A-Za-z_][A-Za-z_0-9]*)?\$/;

/** Rewrites `?` placeholders to `$1, $2, …` in textual order. */
export function toPositional(sql: string): string {
  const cached = cache.get(sql);
  if (cached !== undefined) return cached;
  let out = '';
  let n = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i] ?? '';
    const next = sql[i + 1];
    let end = i + 1;
    if (c === "'") {
      const prev = sql[i - 1];
      end = skipQuoted(sql, i, "'", prev === 'E' || prev === 'e');
    } else if (c === '"') {
      end = skipQuoted(sql, i, '"', false);
    } else if (c === '-' && next === '-') {
      const nl = sql.indexOf('\n', i);
      end = nl < 0 ? sql.length : nl;
    } else if (c === '/' && next === '*') {
      const close = sql.indexOf('*/', i + 2);
      end = close < 0 ? sql.length : close + 2;
    } else if (c === '$' && !/[\w$]/.test(sql[i - 1] ?? '')) {
      const tag = DOLLAR_TAG.exec(sql.slice(i))?.[0];
      if (tag) {
        const close = sql.indexOf(tag, i + tag.length);
        end = close < 0 ? sql.length : close + tag.length;
      }
    } else if (c === '?') {
      out += `$${++n}`;
      i++;
      continue;
    }
    out += sql.slice(i, end);
    i = end;
  }
  return setBounded(cache, sql, out, CACHE_SIZE);
}
