import type { CollectionModel } from '../../core/collections/collection-model.js';
import type { SchemaRegistry } from '../../core/collections/schema-registry.js';
import { PlinthError, errors } from '../../core/errors/plinth-error.js';
import { parseFilter, type FilterExpr } from '../../core/filter/index.js';
import type { RequestInfo } from '../../core/request-info.js';
import type { Dialect } from '../dialect.js';
import { compileFilter, compileSort, type CompiledSql } from '../filter/index.js';

const MAX_ENTRIES = 2000;

function remember<V>(map: Map<string, V>, key: string, value: V): V {
  if (map.size >= MAX_ENTRIES) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
  map.set(key, value);
  return value;
}

/**
 * Caches of the hot path: parsed filter text, and compiled SQL for texts that do not depend on the
 * request or the clock (no `@`), keyed by schema version, collection and hidden-field access.
 * Rules with `@request.*` reuse the cached AST and only re-run the compiler.
 */
export class RuleSqlCache {
  readonly #ast = new Map<string, FilterExpr | null>();
  readonly #compiled = new Map<string, CompiledSql>();
  #version = -1;

  constructor(private readonly schema: SchemaRegistry) {}

  #sync(): void {
    if (this.#version !== this.schema.version) {
      this.#compiled.clear();
      this.#version = this.schema.version;
    }
  }

  #context(dialect: Dialect, collection: CollectionModel, request: RequestInfo, allowHiddenFields: boolean, tableAlias: string) {
    return { dialect, collection, findCollection: (ref: string) => this.schema.find(ref), tableAlias, request, allowHiddenFields };
  }

  filter(dialect: Dialect, collection: CollectionModel, text: string, request: RequestInfo, allowHiddenFields: boolean, tableAlias: string): CompiledSql {
    this.#sync();
    const key = `${collection.id}\u0000${allowHiddenFields ? 1 : 0}\u0000${tableAlias}\u0000${text}`;
    const hit = this.#compiled.get(key);
    if (hit) return hit;
    const compiled = wrap(() => {
      let ast = this.#ast.get(text);
      if (ast === undefined) ast = remember(this.#ast, text, parseFilter(text));
      return compileFilter(ast, this.#context(dialect, collection, request, allowHiddenFields, tableAlias));
    });
    return text.includes('@') ? compiled : remember(this.#compiled, key, compiled);
  }

  sort(dialect: Dialect, collection: CollectionModel, text: string, request: RequestInfo, allowHiddenFields: boolean, tableAlias: string): CompiledSql {
    return wrap(() => compileSort(text, this.#context(dialect, collection, request, allowHiddenFields, tableAlias)));
  }
}

function wrap(fn: () => CompiledSql): CompiledSql {
  try {
    return fn();
  } catch (err) {
    if (err instanceof PlinthError) throw err;
    throw errors.badRequest('Invalid filter parameters.', {}, err);
  }
}
