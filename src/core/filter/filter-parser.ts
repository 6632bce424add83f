import type { FilterExpr, FilterOperand, FilterOperator } from './filter-ast.js';
import { filterSyntaxError, tokenizeFilter, type FilterToken } from './filter-lexer.js';
import { isDatetimeMacro } from './datetime-macros.js';

/** Guards against pathological input. */
export interface ParseFilterOptions {
  /** Maximum text length in characters (default 20 000). */
  maxLength?: number;
  /** Maximum nesting of parentheses and function calls (default 32). */
  maxDepth?: number;
  /** Maximum number of comparisons (default 200, PocketBase's `DefaultFilterExprLimit`). */
  maxExpressions?: number;
  /** Maximum arguments of one function call (default 10). */
  maxFunctionArgs?: number;
}

const DEFAULTS: Required<ParseFilterOptions> = { maxLength: 20_000, maxDepth: 32, maxExpressions: 200, maxFunctionArgs: 10 };

/**
 * Parses PocketBase filter text into an AST. Returns `null` for text that holds no expression
 * (empty, whitespace or comments only). `&&` binds tighter than `||`, which is how PocketBase's
 * flat `a AND b OR c` SQL evaluates. Throws `errors.badRequest` on any syntax error.
 */
export function parseFilter(text: string, options: ParseFilterOptions = {}): FilterExpr | null {
  const opts = { ...DEFAULTS, ...options };
  if (text.length > opts.maxLength) filterSyntaxError(`the filter is longer than ${opts.maxLength} characters`);
  const parser = new Parser(tokenizeFilter(text), opts);
  return parser.parseRoot();
}

class Parser {
  #pos = 0;
  #depth = 0;
  #expressions = 0;

  constructor(private readonly tokens: FilterToken[], private readonly opts: Required<ParseFilterOptions>) {}

  parseRoot(): FilterExpr | null {
    if (this.#peek().type === 'eof') return null;
    const expr = this.#parseOr();
    const next = this.#peek();
    if (next.type !== 'eof') this.#unexpected(next, 'expected && or ||');
    return expr;
  }

  #peek(): FilterToken {
    return this.tokens[this.#pos] ?? { type: 'eof', value: '', pos: 0 };
  }

  #next(): FilterToken {
    const token = this.#peek();
    if (token.type !== 'eof') this.#pos++;
    return token;
  }

  #unexpected(token: FilterToken, expected: string): never {
    const got = token.type === 'eof' ? 'end of input' : JSON.stringify(token.value);
    return filterSyntaxError(`${expected}, got ${got}`, token.pos);
  }

  #enter(token: FilterToken): void {
    if (++this.#depth > this.opts.maxDepth) filterSyntaxError(`nesting deeper than ${this.opts.maxDepth} levels`, token.pos);
  }

  #parseOr(): FilterExpr {
    const items = [this.#parseAnd()];
    while (this.#peek().type === 'or') {
      this.#next();
      items.push(this.#parseAnd());
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  }

  #parseAnd(): FilterExpr {
    const items = [this.#parsePrimary()];
    while (this.#peek().type === 'and') {
      this.#next();
      items.push(this.#parsePrimary());
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  }

  #parsePrimary(): FilterExpr {
    const token = this.#peek();
    if (token.type !== 'lparen') return this.#parseCompare();
    this.#next();
    this.#enter(token);
    if (this.#peek().type === 'rparen') this.#unexpected(this.#peek(), 'expected an expression');
    const expr = this.#parseOr();
    const close = this.#next();
    if (close.type !== 'rparen') this.#unexpected(close, 'expected )');
    this.#depth--;
    return expr;
  }

  #parseCompare(): FilterExpr {
    const first = this.#peek();
    if (++this.#expressions > this.opts.maxExpressions) {
      filterSyntaxError(`more than ${this.opts.maxExpressions} expressions`, first.pos);
    }
    const left = this.#parseOperand('left operand');
    const opToken = this.#next();
    if (opToken.type !== 'operator') this.#unexpected(opToken, 'expected a sign operator');
    const right = this.#parseOperand('right operand');
    return { kind: 'compare', op: opToken.value as FilterOperator, left, right };
  }

  #parseOperand(what: string): FilterOperand {
    const token = this.#next();
    switch (token.type) {
      case 'text':
        return { kind: 'text', value: token.value };
      case 'number':
        return { kind: 'number', value: Number(token.value) };
      case 'identifier': {
        const lower = token.value.toLowerCase();
        if (lower === 'null' || lower === 'true' || lower === 'false') return { kind: 'keyword', value: lower };
        if (isDatetimeMacro(token.value)) return { kind: 'macro', name: token.value };
        return { kind: 'identifier', name: token.value };
      }
      case 'function':
        return this.#parseFunction(token);
      default:
        return this.#unexpected(token, `expected ${what} (identifier, text, number or function)`);
    }
  }

  #parseFunction(nameToken: FilterToken): FilterOperand {
    this.#next();
    this.#enter(nameToken);
    const args: FilterOperand[] = [];
    if (this.#peek().type === 'rparen') {
      this.#next();
    } else {
      for (;;) {
        args.push(this.#parseOperand('function argument'));
        if (args.length > this.opts.maxFunctionArgs) {
          filterSyntaxError(`too many arguments for ${nameToken.value}()`, nameToken.pos);
        }
        const sep = this.#next();
        if (sep.type === 'rparen') break;
        if (sep.type !== 'comma') this.#unexpected(sep, 'expected , or )');
      }
    }
    this.#depth--;
    return { kind: 'function', name: nameToken.value, args };
  }
}
