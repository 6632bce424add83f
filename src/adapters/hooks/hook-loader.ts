import { existsSync, mkdirSync, readdirSync, rmSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { HookRegistry } from '../../core/hooks/hook-registry.js';
import type { HookModule } from '../../core/hooks/hook-types.js';

/** Hook files: TypeScript or JavaScript modules directly in the hooks folder (not `.d.ts`). */
const HOOK_FILE = /^(?!.*\.d\.[cm]?ts$)[^.].*\.(?:ts|mts|js|mjs)$/;

export interface HookLoaderOptions {
  /** The hooks folder (`plinth_hooks`). */
  dir: string;
  registry: HookRegistry;
  /** Reload a file when it changes (`--dev`); a broken version is logged and the previous kept. */
  watch?: boolean;
  log?: (message: string) => void;
}

/** A hook file that failed to compile, load or register: one line, with the file name. */
export class HookLoadError extends Error {
  override name = 'HookLoadError';
}

/**
 * Loads `plinth_hooks/*.ts|js|mjs` with no build step: each file is bundled by esbuild (its own
 * relative imports inlined, npm packages left as imports, types erased) into
 * `plinth_hooks/node_modules/.cache/plinth/`, so that packages resolve from `plinth_hooks/node_modules`
 * and then the project's, and imported under a fresh name per version (so a reload really reloads).
 */
export class HookLoader {
  readonly #dir: string;
  readonly #out: string;
  readonly #registry: HookRegistry;
  readonly #log: (message: string) => void;
  #watcher: FSWatcher | null = null;
  #timer: NodeJS.Timeout | null = null;
  #version = 0;
  #loaded = new Set<string>();
  #queue: Promise<void> = Promise.resolve();

  private constructor(options: HookLoaderOptions) {
    this.#dir = resolve(options.dir);
    this.#out = join(this.#dir, 'node_modules', '.cache', 'plinth');
    this.#registry = options.registry;
    this.#log = options.log ?? ((message) => console.error(message));
  }

  /** Loads every hook file of `dir` (none when it does not exist); throws a {@link HookLoadError} on the first broken one. */
  static async start(options: HookLoaderOptions): Promise<HookLoader> {
    const loader = new HookLoader(options);
    for (const file of loader.#files()) await loader.#load(file);
    if (options.watch && existsSync(loader.#dir)) loader.#watch();
    return loader;
  }

  /** The hook files currently loaded (names inside the folder). */
  get files(): string[] {
    return [...this.#loaded];
  }

  /** Reloads every file now (what a change under `--dev` does); resolves once done. */
  reload(): Promise<void> {
    this.#queue = this.#queue.then(() => this.#reloadAll());
    return this.#queue;
  }

  close(): void {
    this.#watcher?.close();
    if (this.#timer) clearTimeout(this.#timer);
  }

  #files(): string[] {
    if (!existsSync(this.#dir)) return [];
    return readdirSync(this.#dir, { withFileTypes: true })
      .filter((entry) => entry.isFile() && HOOK_FILE.test(entry.name))
      .map((entry) => entry.name)
      .sort();
  }

  async #load(file: string): Promise<void> {
    const path = join(this.#dir, file);
    const code = await compile(path);
    mkdirSync(this.#out, { recursive: true });
    const out = join(this.#out, `${basename(file).replace(/\.[^.]+$/, '')}.${process.pid}.${++this.#version}.mjs`);
    writeFileSync(out, code);
    let mod: { default?: unknown };
    try {
      mod = (await import(pathToFileURL(out).href)) as { default?: unknown };
    } catch (err) {
      throw new HookLoadError(`hook file ${file}: ${(err as Error).message ?? String(err)}`, { cause: err });
    } finally {
      rmSync(out, { force: true });
    }
    if (typeof mod.default !== 'function') throw new HookLoadError(`hook file ${file}: the default export must be a function (plinth) => void`);
    try {
      await this.#registry.replaceSource(file, mod.default as HookModule);
    } catch (err) {
      throw new HookLoadError(`hook file ${file}: ${(err as Error).message ?? String(err)}`, { cause: err });
    }
    this.#loaded.add(file);
  }

  async #reloadAll(): Promise<void> {
    const files = this.#files();
    for (const gone of [...this.#loaded].filter((f) => !files.includes(f))) {
      await this.#registry.removeSource(gone);
      this.#loaded.delete(gone);
      this.#log(`hooks: ${gone} removed`);
    }
    for (const file of files) {
      try {
        await this.#load(file);
      } catch (err) {
        this.#log(`hooks: ${(err as Error).message}; keeping the previous version`);
      }
    }
  }

  #watch(): void {
    this.#watcher = watch(this.#dir, { persistent: false }, (_event, name) => {
      if (name && !HOOK_FILE.test(String(name))) return;
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = setTimeout(() => void this.reload(), 100);
    });
  }
}

/** The package's own entry, so `import { HookError } from 'plinth'` in a hook gets this very copy. */
function ownEntry(): string | null {
  const entry = fileURLToPath(new URL('../../index.js', import.meta.url));
  return existsSync(entry) ? pathToFileURL(entry).href : null;
}

async function compile(path: string): Promise<string> {
  const esbuild = await import('esbuild');
  const entry = ownEntry();
  try {
    const result = await esbuild.build({
      entryPoints: [path], bundle: true, packages: 'external', format: 'esm', platform: 'node', target: 'node20',
      write: false, sourcemap: 'inline', logLevel: 'silent',
      plugins: entry ? [{ name: 'plinth', setup: (b) => b.onResolve({ filter: /^plinth$/ }, () => ({ path: entry, external: true })) }] : [],
    });
    return result.outputFiles[0]?.text ?? '';
  } catch (err) {
    const first = (err as { errors?: Array<{ text: string; location?: { line: number; column: number } | null }> }).errors?.[0];
    const where = first?.location ? `:${first.location.line}:${first.location.column + 1}` : '';
    throw new HookLoadError(`hook file ${basename(path)}${where}: ${first?.text ?? (err as Error).message}`, { cause: err });
  }
}
