import { scanTopLevel, splitTopLevel, trimChars } from './index-parser.js';

/**
 * A loose parser of a view's SELECT that recovers, for each result column, the expression it comes
 * from and, for the tables of the FROM/JOIN clauses, their aliases. It only serves to infer field
 * types (a column read straight from a collection keeps that field's type); the database decides
 * the real column list.
 */
export interface QueryIdentifier {
  original: string;
  alias: string;
}

export interface ParsedViewQuery {
  columns: QueryIdentifier[];
  tables: QueryIdentifier[];
}

const JOIN_RE = /\s+(full\s+outer\s+join|left\s+outer\s+join|right\s+outer\s+join|full\s+join|cross\s+join|inner\s+join|outer\s+join|left\s+join|right\s+join|join)\s+?/gi;
const DISCARD_RE = /\s+(where|group\s+by|having|order|limit|with)\s+?/gi;
const COMMENTS_RE = /(\/\*[\s\S]*?\*\/)|(--.+$)/gm;

const WHITESPACE = /\s/;

/** Tokenises on whitespace and commas outside quotes/parentheses, keeping the separators. */
function tokenize(text: string): string[] {
  return scanTopLevel(text, (ch) => ch === ',' || WHITESPACE.test(ch), true);
}

function trimIdentifier(raw: string, extra = ''): string {
  const chars = '`"[];' + extra;
  return raw
    .split('.')
    .map((part) => trimChars(part, chars))
    .join('.');
}

function identifierFromParts(parts: string[]): QueryIdentifier {
  let original: string;
  let alias: string;
  if (parts.length === 1) {
    original = parts[0] ?? '';
    const sub = original.split('.');
    alias = sub[sub.length - 1] ?? '';
  } else if (parts.length >= 3 && (parts[parts.length - 2] ?? '').toLowerCase() === 'as') {
    original = parts.slice(0, -2).join(' ');
    alias = parts[parts.length - 1] ?? '';
  } else {
    original = parts.slice(0, -1).join(' ');
    alias = parts[parts.length - 1] ?? '';
  }
  return { original: trimIdentifier(original), alias: trimIdentifier(alias, "'") };
}

function extractIdentifiers(expression: string): QueryIdentifier[] {
  const out: QueryIdentifier[] = [];
  for (const raw of splitTopLevel(expression, ',')) {
    const parts = tokenize(raw.trim()).filter((t) => t.trim() !== '' && t !== ',');
    if (parts.length === 0) continue;
    out.push(identifierFromParts(parts));
  }
  return out;
}

/** Parses the outermost SELECT of `query` into its column and table identifiers. */
export function parseViewQuery(query: string): ParsedViewQuery {
  let text = query.trim().replace(/^;+|;+$/g, '');
  text = text.replace(COMMENTS_RE, ' ');
  text = text.replace(JOIN_RE, ' __pb_join__ ');
  text = text.replace(DISCARD_RE, ' __pb_discard__ ');

  let skip = false;
  let part = '';
  const builders: Record<string, string> = { select: '', from: '', join: '' };
  for (const token of tokenize(text)) {
    const lower = token.trim().toLowerCase();
    if (lower === 'select') {
      skip = false;
      part = 'select';
    } else if (lower === 'distinct') {
      continue;
    } else if (lower === 'from') {
      skip = false;
      part = 'from';
    } else if (lower === '__pb_join__') {
      skip = false;
      if (part === 'join') builders.join += ',';
      part = 'join';
    } else if (lower === '__pb_discard__') {
      skip = true;
    } else {
      if (part === 'join' && lower === 'on') skip = true;
      if (!skip && part) builders[part] += ` ${token}`;
    }
  }
  return {
    columns: extractIdentifiers(builders.select ?? ''),
    tables: [...extractIdentifiers(builders.from ?? ''), ...extractIdentifiers(builders.join ?? '')],
  };
}
