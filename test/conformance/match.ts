import { isDeepStrictEqual } from 'node:util';
import type { Scenario } from './scenarios.js';

/**
 * The response body as the upstream runner compared it: JSON compacted (here: parsed and
 * re-serialised), anything else as raw text. `value` is the parsed JSON, when it was JSON.
 */
export interface CompactBody {
  text: string;
  value?: unknown;
}

/** Compacts a response body. */
export function compactBody(raw: string): CompactBody {
  if (raw.trim() === '') return { text: raw };
  try {
    const value: unknown = JSON.parse(raw);
    return { text: JSON.stringify(value), value };
  } catch {
    return { text: raw };
  }
}

/** Undoes Go's HTML-safe escapes (`\u003c` `\u003e` `\u0026`) in an expected fragment. */
export function normaliseFragment(fragment: string): string {
  return fragment.replace(/\\u003c/gi, '<').replace(/\\u003e/gi, '>').replace(/\\u0026/gi, '&');
}

/** Parses a fragment that is a whole JSON object; undefined for anything else. */
function parseObjectFragment(fragment: string): Record<string, unknown> | undefined {
  if (!fragment.startsWith('{') || !fragment.endsWith('}')) return undefined;
  try {
    const value: unknown = JSON.parse(fragment);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** True when some object nested anywhere in `root` equals `target` (key order ignored). */
function containsObject(root: unknown, target: Record<string, unknown>): boolean {
  if (typeof root !== 'object' || root === null) return false;
  if (!Array.isArray(root) && isDeepStrictEqual(root, target)) return true;
  return Object.values(root).some((child) => containsObject(child, target));
}

/** Whether a (normalised) fragment occurs in the body: as a substring, or as an equal nested object. */
export function bodyContains(body: CompactBody, fragment: string): boolean {
  if (body.text.includes(fragment)) return true;
  const object = parseObjectFragment(fragment);
  return object !== undefined && body.value !== undefined && containsObject(body.value, object);
}

/** Compares one response with a scenario; returns the list of mismatches (empty when it passes). */
export function checkResponse(scenario: Scenario, status: number, raw: string): string[] {
  const problems: string[] = [];
  if (status !== scenario.Status) problems.push(`status ${status}, expected ${scenario.Status}`);
  const body = compactBody(raw);
  const expected = scenario.Expected ?? [];
  const notExpected = scenario.NotExpected ?? [];
  if (expected.length === 0 && notExpected.length === 0 && raw.length > 0) {
    problems.push('expected an empty body');
  }
  for (const fragment of expected.map(normaliseFragment)) {
    if (!bodyContains(body, fragment)) problems.push(`missing ${fragment}`);
  }
  for (const fragment of notExpected.map(normaliseFragment)) {
    if (bodyContains(body, fragment)) problems.push(`unexpected ${fragment}`);
  }
  return problems;
}
