import type { SqlValue } from '../db.js';

/** A piece of SQL with its positional `?` parameters, in textual order. */
export interface Frag {
  readonly sql: string;
  readonly params: readonly SqlValue[];
}

/** Trusted SQL text without parameters (keywords, quoted identifiers). */
export const raw = (sql: string): Frag => ({ sql, params: [] });

/** One bound parameter. */
export const param = (value: SqlValue): Frag => ({ sql: '?', params: [value] });

/** Builds a fragment from a template whose interpolations are fragments: `frag\`${a} = ${b}\``. */
export function frag(strings: TemplateStringsArray, ...parts: Frag[]): Frag {
  let sql = strings[0] ?? '';
  const params: SqlValue[] = [];
  parts.forEach((part, i) => {
    sql += part.sql + (strings[i + 1] ?? '');
    params.push(...part.params);
  });
  return { sql, params };
}

/** Joins fragments with a trusted separator. */
export function joinFrags(parts: readonly Frag[], separator: string): Frag {
  return { sql: parts.map((p) => p.sql).join(separator), params: parts.flatMap((p) => p.params) };
}

const MARK = '\u0000';
/** Splits a built string at the markers; the captured input numbers land at the odd indexes. */
const MARKER = new RegExp(`${MARK}(\\d+)${MARK}`);

/**
 * Lets a SQL builder that works on strings (a Dialect method) take fragments: `build` gets one
 * marker per input, may repeat them, and the parameters follow each occurrence in order.
 */
export function mapFrags(inputs: readonly Frag[], build: (sql: string[]) => string): Frag {
  const out = build(inputs.map((_, i) => `${MARK}${i}${MARK}`));
  const pieces = out.split(MARKER);
  let sql = '';
  const params: SqlValue[] = [];
  pieces.forEach((piece, i) => {
    if (i % 2 === 0) {
      sql += piece;
      return;
    }
    const input = inputs[Number(piece)];
    if (!input) return;
    sql += input.sql;
    params.push(...input.params);
  });
  return { sql, params };
}

/** `mapFrags` for one input. */
export const mapFrag = (input: Frag, build: (sql: string) => string): Frag =>
  mapFrags([input], ([s]) => build(s ?? ''));
