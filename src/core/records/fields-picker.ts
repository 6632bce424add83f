import { errors } from '../errors/plinth-error.js';

/** A value modifier of the `?fields=` syntax (`title:excerpt(200,true)`). */
export type FieldModifier = (value: unknown) => unknown;

/** Parsed `?fields=`: dotted path → modifier (or null). */
export type FieldsSelection = Map<string, FieldModifier | null>;

const EXCLUDED_TAGS = ['head', 'style', 'script', 'iframe', 'embed', 'applet', 'object', 'svg', 'img', 'picture',
  'dialog', 'template', 'button', 'form', 'textarea', 'input', 'select', 'option'];
const INLINE_TAGS = new Set(['a', 'abbr', 'acronym', 'b', 'bdo', 'big', 'br', 'button', 'cite', 'code', 'em', 'i',
  'label', 'q', 'small', 'span', 'strong', 'strike', 'sub', 'sup', 'time']);
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** Plain text of an HTML string, whitespace collapsed, the way PocketBase's excerpt modifier reads it. */
export function htmlToPlainText(html: string): string {
  const excluded = new RegExp(`<(${EXCLUDED_TAGS.join('|')})\\b[^>]*>[\\s\\S]*?</\\1\\s*>|<(${EXCLUDED_TAGS.join('|')})\\b[^>]*/?>`, 'gi');
  const withoutExcluded = html.replace(/<!--[\s\S]*?-->/g, '').replace(excluded, ' ');
  const text = withoutExcluded.replace(/<\/?([a-zA-Z][\w-]*)\b[^>]*>/g, (_tag, name: string) =>
    (INLINE_TAGS.has(name.toLowerCase()) ? '' : ' '));
  return decodeEntities(text).replace(/\s+/g, ' ').trim();
}

function excerptModifier(args: string[]): FieldModifier {
  if (args.length === 0) throw new Error('max argument is required - expected (max, withEllipsis?)');
  if (args.length > 2) throw new Error('too many arguments - expected (max, withEllipsis?)');
  const max = Math.trunc(Number(args[0]));
  if (!Number.isFinite(max) || max === 0) throw new Error('max argument must be > 0');
  const ellipsisArg = (args[1] ?? '').toLowerCase();
  const withEllipsis = ['1', 't', 'true'].includes(ellipsisArg);
  return (value) => {
    if (typeof value !== 'string') return value;
    let result = htmlToPlainText(value);
    const bytes = Buffer.from(result, 'utf8');
    if (bytes.length > max) {
      result = bytes.subarray(0, max).toString('utf8').replace(/\uFFFD+$/, '').trim();
      if (withEllipsis) result += '...';
    }
    return result;
  };
}

const MODIFIERS: Record<string, (args: string[]) => FieldModifier> = { excerpt: excerptModifier };

function splitTopLevel(raw: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  let quote = '';
  for (const ch of raw) {
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  if (depth !== 0 || quote) throw errors.badRequest('Invalid "fields" parameter.');
  out.push(current);
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

function parseModifier(raw: string): FieldModifier {
  const match = /^(\w+)\((.*)\)$/s.exec(raw.trim());
  const name = match?.[1];
  const factory = name ? MODIFIERS[name] : undefined;
  if (!match || !factory) throw errors.badRequest(`Invalid "fields" parameter: unknown modifier "${raw}".`);
  const args = (match[2] ?? '').split(',').map((a) => a.trim().replace(/^(["'`])(.*)\1$/s, '$2')).filter((a) => a !== '');
  try {
    return factory(args);
  } catch (cause) {
    throw errors.badRequest(`Invalid "fields" parameter: ${(cause as Error).message}.`);
  }
}

/** Parses `?fields=` (`*,expand.rel.name,body:excerpt(100,true)`); empty text gives null (no picking). */
export function parseFields(raw: string | undefined): FieldsSelection | null {
  if (!raw || raw.trim() === '') return null;
  const selection: FieldsSelection = new Map();
  for (const item of splitTopLevel(raw)) {
    const colon = item.indexOf(':');
    if (colon === -1) selection.set(item, null);
    else selection.set(item.slice(0, colon).trim(), parseModifier(item.slice(colon + 1)));
  }
  return selection;
}

function pickValue(value: unknown, fields: FieldsSelection): unknown {
  if (Array.isArray(value)) {
    if (value.length === 0 || !isPlainObject(value[0])) return value;
    return value.map((item) => (isPlainObject(item) ? pickObject(item, fields) : item));
  }
  return isPlainObject(value) ? pickObject(value, fields) : value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pickObject(data: Record<string, unknown>, input: FieldsSelection): Record<string, unknown> {
  if (input.size === 0) return data;
  const fields = new Map(input);
  const star = fields.get('*');
  if (fields.has('*')) {
    for (const key of Object.keys(data)) {
      const exists = [...fields.keys()].some((f) => `${f}.`.startsWith(`${key}.`));
      if (!exists) fields.set(key, star ?? null);
    }
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    const nested: FieldsSelection = new Map();
    let final = false;
    let finalModifier: FieldModifier | null = null;
    for (const [f, m] of fields) {
      if (!`${f}.`.startsWith(`${key}.`)) continue;
      const remains = f.slice(key.length + 1);
      if (remains === '') {
        final = true;
        finalModifier = m;
        break;
      }
      nested.set(remains, m);
    }
    if (final) out[key] = finalModifier ? finalModifier(value) : value;
    else if (nested.size > 0) out[key] = pickValue(value, nested);
  }
  return out;
}

/** Applies a `?fields=` selection to one serialized record (or a list of them). */
export function pickFields<T>(data: T, selection: FieldsSelection | null): T {
  if (!selection) return data;
  return pickValue(data, selection) as T;
}
