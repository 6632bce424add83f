/**
 * The hook loader on its own (no server): TypeScript without a build step, npm packages beside
 * the hooks, `import … from 'plinth'`, one-line errors at start, and reloads under --dev.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HookLoader } from '../../../src/adapters/hooks/hook-loader.js';
import { HookRegistry } from '../../../src/core/hooks/hook-registry.js';
import { makeTempDir, removeDir } from '../../helpers/fixture-copy.js';

const dirs: string[] = [];
const loaders: HookLoader[] = [];

afterEach(() => {
  for (const loader of loaders.splice(0)) loader.close();
  for (const dir of dirs.splice(0)) removeDir(dir);
});

function hooksDir(files: Record<string, string>): string {
  const dir = makeTempDir('plinth-hook-loader-');
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

async function start(dir: string, options: { watch?: boolean; log?: (m: string) => void } = {}) {
  const registry = new HookRegistry();
  const loader = await HookLoader.start({ dir, registry, ...options });
  loaders.push(loader);
  return { registry, loader };
}

const routePaths = (registry: HookRegistry) => registry.routes.map((r) => `${r.source} ${r.method} ${r.path}`);

async function until(check: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('hook loader', () => {
  it('loads .ts, .js and .mjs files that import a package installed beside them', async () => {
    const dir = hooksDir({
      'node_modules/tiny-greet/package.json': JSON.stringify({ name: 'tiny-greet', version: '1.0.0', type: 'module', exports: './index.js' }),
      'node_modules/tiny-greet/index.js': 'export const greet = (name) => `hi ${name}`;\n',
      'a.ts': `import type { PlinthHooks } from 'plinth';
import { greet } from 'tiny-greet';
export default (plinth: PlinthHooks): void => {
  plinth.routerAdd('GET', '/' + greet('ts').replace(' ', '-'), () => ({ ok: true }));
};`,
      'b.js': `export default (plinth) => plinth.routerAdd('POST', '/b', () => null);`,
      'c.mjs': `export default async (plinth) => { await Promise.resolve(); plinth.cronAdd('c', '@daily', () => {}); };`,
      'types.d.ts': 'export {};',
      'README.md': 'not a hook',
    });
    const { registry, loader } = await start(dir);
    expect(loader.files).toEqual(['a.ts', 'b.js', 'c.mjs']);
    expect(routePaths(registry)).toEqual(['a.ts GET /hi-ts', 'b.js POST /b']);
    expect(registry.crons.map((c) => c.id)).toEqual(['c']);
    const route = registry.routes[0]!;
    expect(await route.handler({} as never)).toEqual({ ok: true });
  });

  it('a missing folder loads nothing', async () => {
    const { loader } = await start(join(makeTempDir('plinth-no-hooks-'), 'plinth_hooks'));
    expect(loader.files).toEqual([]);
  });

  it.each([
    { name: 'a syntax error', text: 'export default (plinth) => {\n  plinth.routerAdd(\n};', message: /^hook file broken\.ts:3:1: / },
    { name: 'no default export', text: 'export const x = 1;', message: /^hook file broken\.ts: the default export must be a function/ },
    { name: 'a throw while registering', text: 'export default () => { throw new Error("nope"); };', message: /^hook file broken\.ts: nope$/ },
    { name: 'a missing package', text: 'import "not-installed-anywhere";\nexport default () => {};', message: /^hook file broken\.ts: Cannot find (package|module) 'not-installed-anywhere'/ },
  ])('$name fails the start with one line naming the file', async ({ text, message }) => {
    const dir = hooksDir({ 'broken.ts': text });
    const err = await start(dir).then(() => null, (e: Error) => e);
    expect(err?.message).toMatch(message);
    expect(err?.message).not.toContain('\n');
  });

  it('under watch, reloads a changed file, keeps the previous version of a broken one, drops a deleted one', async () => {
    const dir = hooksDir({ 'r.ts': `export default (p: import('plinth').PlinthHooks) => p.routerAdd('GET', '/v1', () => 1);` });
    const logs: string[] = [];
    const { registry } = await start(dir, { watch: true, log: (m) => logs.push(m) });
    expect(routePaths(registry)).toEqual(['r.ts GET /v1']);
    writeFileSync(join(dir, 'r.ts'), `export default (p: import('plinth').PlinthHooks) => p.routerAdd('GET', '/v2', () => 2);`);
    await until(() => routePaths(registry).includes('r.ts GET /v2'), 'the reload');
    expect(routePaths(registry)).toEqual(['r.ts GET /v2']);
    writeFileSync(join(dir, 'r.ts'), `export default (p) => { p.routerAdd('GET', '/v3' };`);
    await until(() => logs.some((l) => l.includes('keeping the previous version')), 'the error line');
    expect(logs.find((l) => l.includes('keeping'))).toMatch(/^hooks: hook file r\.ts:1:\d+: .*; keeping the previous version$/);
    expect(routePaths(registry)).toEqual(['r.ts GET /v2']);
    rmSync(join(dir, 'r.ts'));
    await until(() => registry.routes.length === 0, 'the removal');
    expect(logs).toContain('hooks: r.ts removed');
  });
});
