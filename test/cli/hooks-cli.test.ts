/**
 * Hooks as a user meets them, through the built package: a hook file type-checks with tsc
 * against `import type { … } from 'plinth'`, `plinth serve` loads it (with `import { HookError }
 * from 'plinth'`), and a broken hook file stops the start with one line.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../helpers/fixture-copy.js';
import { repoRoot } from '../helpers/paths.js';

const root = repoRoot();
const built = existsSync(join(root, 'dist', 'index.d.ts')) && existsSync(join(root, 'dist', 'cli', 'main.js'));
const bin = join(root, 'bin', 'plinth.js');
const dirs: string[] = [];

const GOOD_HOOK = `import { HookError, type PlinthHooks, type RecordCreateEvent } from 'plinth';

function stamp(e: RecordCreateEvent): void {
  e.data.stampedBy = e.request.auth?.record.id ?? 'guest';
}

export default function (plinth: PlinthHooks): void {
  plinth.onRecordCreateRequest(stamp, 'posts');
  plinth.routerAdd('GET', '/api/teapot/:name', (e) => {
    if (e.params.name !== 'earl-grey') throw new HookError(403, 'Only tea.', { name: { code: 'not_tea', message: 'Not tea.' } });
    return { tea: e.params.name };
  });
  plinth.cronAdd('tea_time', '0 17 * * *', async () => {
    await plinth.app.records.list('posts', { auth: null, method: 'GET', headers: {}, query: {}, body: {}, context: 'default' });
  });
}
`;

/** The complete hook files of docs/hooks.md (code blocks that start with `// plinth_hooks/<name>.ts`). */
function docHooks(): Record<string, string> {
  const text = readFileSync(join(root, 'docs', 'hooks.md'), 'utf8');
  const out: Record<string, string> = {};
  for (const match of text.matchAll(/```ts\n\/\/ (plinth_hooks\/[\w-]+\.ts)\n([\s\S]*?)```/g)) out[match[1]!] = match[2]!;
  return out;
}

/** A project folder whose node_modules/plinth is this repository (as after `npm install plinth`). */
function project(files: Record<string, string>): string {
  const dir = makeTempDir('plinth-hooks-project-');
  dirs.push(dir);
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(root, join(dir, 'node_modules', 'plinth'), 'dir');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

afterAll(() => {
  for (const dir of dirs) removeDir(dir);
});

describe.skipIf(!built)('hooks through the built package', () => {
  it('a hook file (the Stripe example, the docs\' examples) type-checks against the shipped types, and a wrong one does not', () => {
    const tsconfig = JSON.stringify({
      compilerOptions: {
        strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022',
        skipLibCheck: true, types: ['node'], typeRoots: [join(root, 'node_modules', '@types')],
      },
      include: ['plinth_hooks/*.ts'],
    });
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const good = project({
      'package.json': '{"type":"module"}', 'tsconfig.json': tsconfig, 'plinth_hooks/tea.ts': GOOD_HOOK,
      'plinth_hooks/stripe-webhook.ts': readFileSync(join(root, 'examples', 'hooks', 'stripe-webhook.ts'), 'utf8'),
      ...docHooks(),
    });
    expect(Object.keys(docHooks())).toEqual(['plinth_hooks/posts.ts', 'plinth_hooks/orders.ts', 'plinth_hooks/auth.ts', 'plinth_hooks/routes.ts']);
    symlinkSync(join(root, 'node_modules', 'stripe'), join(good, 'node_modules', 'stripe'), 'dir');
    const ok = spawnSync(process.execPath, [tsc, '-p', good], { encoding: 'utf8' });
    expect(ok.stdout + ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    const bad = project({
      'package.json': '{"type":"module"}', 'tsconfig.json': tsconfig,
      'plinth_hooks/bad.ts': `import type { PlinthHooks } from 'plinth';\nexport default (p: PlinthHooks) => { p.routerAdd('FETCH', '/x', () => 1); p.onRecordCreateRequest((e) => e.nope); };\n`,
    });
    const failed = spawnSync(process.execPath, [tsc, '-p', bad], { encoding: 'utf8' });
    expect(failed.status).not.toBe(0);
    expect(failed.stdout).toMatch(/"FETCH"/);
    expect(failed.stdout).toMatch(/Property 'nope' does not exist/);
  }, 60_000);

  it('plinth serve loads plinth_hooks beside the data dir; a HookError from the package answers its status', async () => {
    const dir = project({ 'plinth_hooks/tea.ts': GOOD_HOOK });
    const child = spawn(process.execPath, [bin, 'serve', '--http=127.0.0.1:0', `--dir=${join(dir, 'pb_data')}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no URL printed within 15 s: ${out}`)), 15_000);
        const read = (chunk: Buffer) => {
          out += chunk.toString();
          const match = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
          if (match) {
            clearTimeout(timer);
            resolve(match[0]);
          }
        };
        child.stdout.on('data', read);
        child.stderr.on('data', read);
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
      });
      const tea = await fetch(`${url}/api/teapot/earl-grey`);
      expect([tea.status, await tea.json()]).toEqual([200, { tea: 'earl-grey' }]);
      const coffee = await fetch(`${url}/api/teapot/coffee`);
      expect([coffee.status, await coffee.json()]).toEqual([403, { status: 403, message: 'Only tea.', data: { name: { code: 'not_tea', message: 'Not tea.' } } }]);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('a hook file with a syntax error stops plinth serve with one line', () => {
    const dir = project({ 'hooks/broken.ts': 'export default (p) => {\n  p.routerAdd("GET", "/x", () => 1\n};\n' });
    const result = spawnSync(process.execPath, [bin, 'serve', '--http=127.0.0.1:0', `--dir=${join(dir, 'pb_data')}`, `--hooksDir=${join(dir, 'hooks')}`], { encoding: 'utf8', timeout: 15_000 });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^plinth serve: hook file broken\.ts:3:1: Expected "\)" but found "}"$/)]);
  });
});
