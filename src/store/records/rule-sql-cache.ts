import type { CollectionModel } from '../../core/collections/collection-model.js';
import type { SchemaRegistry } from '../../core/collections/schema-registry.js';
import { PlinthError, errors } from '../../core/errors/plinth-error.js';
import { parseFilter, tokenizeFilter, type FilterExpr, type FilterToken } from '../../core/filter/index.js';
import type { RequestInfo } from '../../core/request-info.js';
import { setBounded } from '../bounded-map.js';
import type { SqlValue } from '../db.js';
import type { Dialect } from '../dialect.js';
import { compileFilter, compileSort, type CompiledSql } from '../filter/index.js';

const MAX_ENTRIES = 2000;
/** parseFilter's default maximum text length: longer texts always take the full (throwing) path. */
const MAX_FILTER_LENGTH = 20_000;

const remember = <V>(map: Map<string, V>, key: string, value: V): V => setBounded(map, key, value, MAX_ENTRIES);

/**
 * A clock that records whether the compiler read it (datetime macros, also those of the list
 * rules of joined collections): such a result must not be cached.
 */
class WatchedDate extends Date {
  read = false;
  override getTime(): number { this.read = true; return super.getTime(); }
  override valueOf(): number { this.read = true; return super.valueOf(); }
  override toISOString(): string { this.read = true; return super.toISOString(); }
  override getUTCFullYear(): number { this.read = true; return super.getUTCFullYear(); }
  override getUTCMonth(): number { this.read = true; return super.getUTCMonth(); }
  override getUTCDate(): number { this.read = true; return super.getUTCDate(); }
  override getUTCDay(): number { this.read = true; return super.getUTCDay(); }
  override getUTCHours(): number { this.read = true; return super.getUTCHours(); }
  override getUTCMinutes(): number { this.read = true; return super.getUTCMinutes(); }
  override getUTCSeconds(): number { this.read = true; return super.getUTCSeconds(); }
  override getUTCMilliseconds(): number { this.read = true; return super.getUTCMilliseconds(); }
  override getFullYear(): number { this.read = true; return super.getFullYear(); }
}

/** One compilation with the request and the clock watched: `pure` when neither was read. */
interface Watched {
  compiled: CompiledSql;
  pure: boolean;
}

/**
 * A compiled filter whose number literals are parameters: `slots[i]` is the index of the literal
 * that param i carries, or -1 for a constant param (`constants[i]`).
 */
interface Template {
  sql: string;
  slots: number[];
  constants: SqlValue[];
}

/** Where the number literals of `tokens` are, and the text's shape with them blanked out. */
function shapeOf(tokens: readonly FilterToken[]): { key: string; numbers: FilterToken[] } {
  let key = '';
  const numbers: FilterToken[] = [];
  for (const t of tokens) {
    if (t.type === 'number') {
      numbers.push(t);
      key += '#\u0000';
    } else {
      key += `${t.type}:${t.value.length}:${t.value}\u0000`;
    }
  }
  return { key, numbers };
}

/** The cache-key prefix: collection, hidden-field access and table alias (the text follows). */
const keyPrefix = (collection: CollectionModel, allowHiddenFields: boolean, tableAlias: string): string =>
  `${collection.id}\u0000${allowHiddenFields ? 1 : 0}\u0000${tableAlias}\u0000`;

/** A distinct, unremarkable, exactly representable number for literal `i`. */
const sentinel = (i: number): string => `${987654321000 + i}.5`;

/**
 * Caches of the hot path: parsed filter text, and compiled SQL keyed by schema version,
 * collection, hidden-field access and text. A result is cached only when compiling it read
 * neither the request nor the clock (so `@request.*`/datetime macros, also inside the list rules
 * of joined collections, are compiled per request; their AST is still cached).
 *
 * `?filter=` texts usually differ only in their number literals (`views > 1234`): for those the
 * compiled SQL is also cached per *shape* (the token stream with the numbers blanked out) as a
 * template whose parameters are filled from the literals, so such a text is tokenized but not
 * parsed or compiled again. A template is only kept after checking, on the first text of the
 * shape, that every number literal lands unchanged in exactly one parameter and nothing else
 * depends on it.
 */
export class RuleSqlCache {
  readonly #ast = new Map<string, FilterExpr | null>();
  readonly #compiled = new Map<string, CompiledSql>();
  readonly #templates = new Map<string, Template | null>();
  readonly #sorts = new Map<string, CompiledSql>();
  #version = -1;

  constructor(private readonly schema: SchemaRegistry) {}

  #sync(): void {
    if (this.#version !== this.schema.version) {
      this.#compiled.clear();
      this.#templates.clear();
      this.#sorts.clear();
      this.#version = this.schema.version;
    }
  }

  /** Runs a compiler with a request and a clock that record whether they were read. */
  #watch(
    request: RequestInfo,
    run: (ctx: { dialect: Dialect; collection: CollectionModel; findCollection: (ref: string) => CollectionModel | undefined; tableAlias: string; request: RequestInfo; allowHiddenFields: boolean; now: Date }) => CompiledSql,
    dialect: Dialect, collection: CollectionModel, allowHiddenFields: boolean, tableAlias: string,
  ): Watched {
    let requestRead = false;
    const watchedRequest = new Proxy(request, {
      get(target, prop, receiver) {
        requestRead = true;
        return Reflect.get(target, prop, receiver);
      },
    });
    const now = new WatchedDate();
    const compiled = run({
      dialect, collection, findCollection: (ref: string) => this.schema.find(ref), tableAlias,
      request: watchedRequest, allowHiddenFields, now,
    });
    return { compiled, pure: !requestRead && !now.read };
  }

  #parse(text: string): FilterExpr | null {
    let ast = this.#ast.get(text);
    if (ast === undefined) ast = remember(this.#ast, text, parseFilter(text));
    return ast;
  }

  #compileFilter(dialect: Dialect, collection: CollectionModel, text: string, request: RequestInfo, allowHiddenFields: boolean, tableAlias: string): Watched {
    return wrap(() => this.#watch(request, (ctx) => compileFilter(this.#parse(text), ctx), dialect, collection, allowHiddenFields, tableAlias));
  }

  filter(dialect: Dialect, collection: CollectionModel, text: string, request: RequestInfo, allowHiddenFields: boolean, tableAlias: string): CompiledSql {
    this.#sync();
    const prefix = keyPrefix(collection, allowHiddenFields, tableAlias);
    const key = prefix + text;
    const hit = this.#compiled.get(key);
    if (hit) return hit;

    // texts with '@' always depend on the request or the clock: no shape template for them
    let shape: { key: string; numbers: FilterToken[] } | null = null;
    if (!text.includes('@') && text.length <= MAX_FILTER_LENGTH) {
      try {
        shape = shapeOf(tokenizeFilter(text));
      } catch {
        shape = null; // the full path below raises the syntax error
      }
    }
    const shapeKey = shape && shape.numbers.length > 0 ? prefix + shape.key : null;
    const template = shapeKey ? this.#templates.get(shapeKey) : undefined;
    if (template && shape) {
      const values = shape.numbers.map((t) => Number(t.value));
      if (values.every(Number.isFinite)) {
        return { sql: template.sql, params: template.slots.map((slot, i) => (slot < 0 ? template.constants[i] as SqlValue : values[slot] as number)) };
      }
    }

    const { compiled, pure } = this.#compileFilter(dialect, collection, text, request, allowHiddenFields, tableAlias);
    // as before this cache learned to watch the request: texts with '@' are never cached whole
    if (!pure || text.includes('@')) return compiled;
    if (shapeKey && shape && template === undefined) {
      remember(this.#templates, shapeKey, this.#template(dialect, collection, text, shape.numbers, compiled, request, allowHiddenFields, tableAlias));
      return compiled;
    }
    return remember(this.#compiled, key, compiled);
  }

  /** Compiles `text` with sentinel numbers and derives the template, or null when unsafe. */
  #template(dialect: Dialect, collection: CollectionModel, text: string, numbers: readonly FilterToken[], real: CompiledSql, request: RequestInfo, allowHiddenFields: boolean, tableAlias: string): Template | null {
    let probeText = '';
    let at = 0;
    numbers.forEach((t, i) => {
      probeText += text.slice(at, t.pos) + sentinel(i);
      at = t.pos + t.value.length;
    });
    probeText += text.slice(at);
    let probe: Watched;
    try {
      probe = this.#watch(request, (ctx) => compileFilter(parseFilter(probeText), ctx), dialect, collection, allowHiddenFields, tableAlias);
    } catch {
      return null;
    }
    if (!probe.pure || probe.compiled.sql !== real.sql || probe.compiled.params.length !== real.params.length) return null;
    const sentinels = numbers.map((_, i) => Number(sentinel(i)));
    const values = numbers.map((t) => Number(t.value));
    const slots: number[] = [];
    const constants: SqlValue[] = [];
    const used = new Set<number>();
    for (let i = 0; i < probe.compiled.params.length; i++) {
      const p = probe.compiled.params[i];
      const slot = typeof p === 'number' ? sentinels.indexOf(p) : -1;
      if (slot >= 0) {
        if (real.params[i] !== values[slot]) return null;
        used.add(slot);
        slots.push(slot);
        constants.push(null);
      } else {
        // a constant must be the same in both compilations and must not hide a literal
        if (p !== real.params[i] || (typeof p === 'string' && sentinels.some((s) => p.includes(String(s))))) return null;
        slots.push(-1);
        constants.push(p ?? null);
      }
    }
    if (used.size !== numbers.length) return null;
    return { sql: real.sql, slots, constants };
  }

  sort(dialect: Dialect, collection: CollectionModel, text: string, request: RequestInfo, allowHiddenFields: boolean, tableAlias: string): CompiledSql {
    this.#sync();
    const key = keyPrefix(collection, allowHiddenFields, tableAlias) + text;
    const hit = this.#sorts.get(key);
    if (hit) return hit;
    const { compiled, pure } = wrap(() => this.#watch(request, (ctx) => compileSort(text, ctx), dialect, collection, allowHiddenFields, tableAlias));
    // `@random` compiles to the same SQL every time, but keep every '@' sort out of the cache
    return pure && !text.includes('@') ? remember(this.#sorts, key, compiled) : compiled;
  }
}

function wrap<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof PlinthError) throw err;
    throw errors.badRequest('Invalid filter parameters.', {}, err);
  }
}
