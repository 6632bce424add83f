import { errors } from '../errors/plinth-error.js';
import { FILTER_OPERATORS, type FilterOperator } from './filter-ast.js';

/** A lexical token of the filter language; `pos` is the 0-based offset in the source text. */
export type FilterToken =
  | { type: 'identifier'; value: string; pos: number }
  | { type: 'function'; value: string; pos: number }
  | { type: 'number'; value: string; pos: number }
  | { type: 'text'; value: string; pos: number }
  | { type: 'operator'; value: FilterOperator; pos: number }
  | { type: 'and' | 'or' | 'lparen' | 'rparen' | 'comma' | 'eof'; value: string; pos: number };

const OPERATORS: ReadonlySet<string> = new Set(FILTER_OPERATORS);
const IDENTIFIER_RE = /^[@#_]?[\w.:]*\w$/;
const FUNCTION_NAME_RE = /^[A-Za-z_]\w*$/;

const isWhitespace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
const isLetter = (ch: string): boolean => (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
const isDigit = (ch: string): boolean => ch >= '0' && ch <= '9';
const isIdentStart = (ch: string): boolean => isLetter(ch) || ch === '_' || ch === '@' || ch === '#';
const isIdentPart = (ch: string): boolean => isIdentStart(ch) || isDigit(ch) || ch === '.' || ch === ':';
const isSignChar = (ch: string): boolean => '=?!<>~'.includes(ch);
const isJoinChar = (ch: string): boolean => ch === '&' || ch === '|';

/** Throws the filter syntax error (a 400 for the API). */
export function filterSyntaxError(message: string, pos?: number): never {
  const where = pos === undefined ? '' : ` (at position ${pos})`;
  throw errors.badRequest(`Invalid filter expression: ${message}${where}.`);
}

/**
 * Splits filter text into tokens, following the grammar of PocketBase's `fexpr`: whitespace and
 * `//` line comments are skipped; text is single- or double-quoted with `\'`/`\"` escapes;
 * numbers may be negative decimals; an identifier directly followed by `(` is a function name.
 */
export function tokenizeFilter(text: string): FilterToken[] {
  const tokens: FilterToken[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text.charAt(i);
    const start = i;
    if (isWhitespace(ch)) {
      i++;
    } else if (ch === '/' && text.charAt(i + 1) === '/') {
      while (i < n && text.charAt(i) !== '\n') i++;
    } else if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ type: ch === '(' ? 'lparen' : ch === ')' ? 'rparen' : 'comma', value: ch, pos: start });
      i++;
    } else if (isIdentStart(ch)) {
      while (i < n && isIdentPart(text.charAt(i))) i++;
      const value = text.slice(start, i);
      if (text.charAt(i) === '(') {
        if (!FUNCTION_NAME_RE.test(value)) filterSyntaxError(`invalid function name "${value}"`, start);
        tokens.push({ type: 'function', value, pos: start });
      } else {
        if (!IDENTIFIER_RE.test(value)) filterSyntaxError(`invalid identifier "${value}"`, start);
        tokens.push({ type: 'identifier', value, pos: start });
      }
    } else if (ch === '-' || isDigit(ch)) {
      i++;
      while (i < n && (isDigit(text.charAt(i)) || text.charAt(i) === '.')) i++;
      const value = text.slice(start, i);
      if (!/^-?\d+(\.\d+)?$/.test(value)) filterSyntaxError(`invalid number "${value}"`, start);
      tokens.push({ type: 'number', value, pos: start });
    } else if (ch === '"' || ch === "'") {
      i = scanText(text, i, tokens);
    } else if (isSignChar(ch)) {
      while (i < n && isSignChar(text.charAt(i))) i++;
      const value = text.slice(start, i);
      if (!OPERATORS.has(value)) filterSyntaxError(`invalid sign operator "${value}"`, start);
      tokens.push({ type: 'operator', value: value as FilterOperator, pos: start });
    } else if (isJoinChar(ch)) {
      while (i < n && isJoinChar(text.charAt(i))) i++;
      const value = text.slice(start, i);
      if (value !== '&&' && value !== '||') filterSyntaxError(`invalid join operator "${value}"`, start);
      tokens.push({ type: value === '&&' ? 'and' : 'or', value, pos: start });
    } else {
      filterSyntaxError(`unexpected character ${JSON.stringify(ch)}`, start);
    }
  }
  tokens.push({ type: 'eof', value: '', pos: n });
  return tokens;
}

/** Scans a quoted text from `start`; the closing quote is the first one not preceded by `\`. */
function scanText(text: string, start: number, tokens: FilterToken[]): number {
  const quote = text.charAt(start);
  let prev = '';
  for (let i = start + 1; i < text.length; i++) {
    const ch = text.charAt(i);
    if (ch === quote && prev !== '\\') {
      const value = text.slice(start + 1, i).replaceAll(`\\${quote}`, quote);
      tokens.push({ type: 'text', value, pos: start });
      return i + 1;
    }
    prev = ch;
  }
  return filterSyntaxError('unterminated quoted text', start);
}
