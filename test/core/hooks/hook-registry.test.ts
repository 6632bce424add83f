/**
 * The hook registry alone: which handlers run for which collection, how errors map onto the
 * catalogue (a HookError from another copy of the package included), and reload semantics.
 */
import { describe, expect, it } from 'vitest';
import type { CollectionModel } from '../../../src/core/collections/collection-model.js';
import { PlinthError } from '../../../src/core/errors/plinth-error.js';
import { HookError } from '../../../src/core/hooks/hook-error.js';
import { HookRegistry } from '../../../src/core/hooks/hook-registry.js';
import type { RecordCreateEvent } from '../../../src/core/hooks/hook-types.js';

const posts = { id: 'pbc_posts', name: 'posts' } as CollectionModel;
const tags = { id: 'pbc_tags', name: 'tags' } as CollectionModel;
const event = (data: Record<string, unknown> = {}) => ({ data } as unknown as RecordCreateEvent);

function registry() {
  const logged: string[] = [];
  return { hooks: new HookRegistry((source, hook, error) => logged.push(`${source} ${hook} ${(error as Error).message}`)), logged };
}

describe('hook registry', () => {
  it('runs handlers in order for the collections they name (by name or id), or for all', async () => {
    const { hooks } = registry();
    await hooks.replaceSource('a.ts', (p) => {
      p.onRecordCreateRequest((e) => void (e.data.trail = `${String(e.data.trail ?? '')}all,`));
      p.onRecordCreateRequest((e) => void (e.data.trail = `${String(e.data.trail)}posts,`), 'posts');
      p.onRecordCreateRequest((e) => void (e.data.trail = `${String(e.data.trail)}tags-id,`), 'pbc_tags');
    });
    const onPosts = event();
    await hooks.run('recordCreate', onPosts, posts);
    const onTags = event();
    await hooks.run('recordCreate', onTags, tags);
    expect([onPosts.data.trail, onTags.data.trail]).toEqual(['all,posts,', 'all,tags-id,']);
    expect(hooks.hasRecordHooks).toBe(true);
  });

  it.each([
    { name: 'a HookError', thrown: new HookError(403, 'No.'), code: 'forbidden', message: 'No.', logged: 0 },
    { name: "another copy's HookError", thrown: Object.assign(new Error('Gone.'), { name: 'HookError', status: 404, data: {} }), code: 'not_found', message: 'Gone.', logged: 0 },
    { name: 'a catalogue error', thrown: new PlinthError('unauthorized', 'Sign in.'), code: 'unauthorized', message: 'Sign in.', logged: 0 },
    { name: 'anything else', thrown: new Error('db password is hunter2'), code: 'internal', message: 'Something went wrong while processing your request.', logged: 1 },
  ])('before hooks: $name becomes $code', async ({ thrown, code, message, logged }) => {
    const { hooks, logged: lines } = registry();
    await hooks.replaceSource('a.ts', (p) => p.onRecordCreateRequest(() => {
      throw thrown;
    }));
    const err = await hooks.run('recordCreate', event(), posts).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(PlinthError);
    expect([(err as PlinthError).code, (err as PlinthError).message]).toEqual([code, message]);
    expect(lines).toHaveLength(logged);
    if (logged) expect(lines[0]).toBe('a.ts recordCreate db password is hunter2');
  });

  it('after hooks: a throw is logged and the next handler still runs', async () => {
    const { hooks, logged } = registry();
    const seen: string[] = [];
    await hooks.replaceSource('a.ts', (p) => {
      p.onRecordAfterCreateSuccess(() => {
        throw new HookError(400, 'too late');
      });
      p.onRecordAfterCreateSuccess(() => void seen.push('second'));
    });
    await hooks.runAfter('recordAfterCreate', { record: { id: 'x' } } as never, posts);
    expect([seen, logged]).toEqual([['second'], ['a.ts recordAfterCreate too late']]);
  });

  it('replaceSource swaps one file\'s registrations; a failing register keeps the previous ones', async () => {
    const { hooks } = registry();
    let changes = 0;
    hooks.onChange(() => void changes++);
    await hooks.replaceSource('a.ts', (p) => p.routerAdd('GET', '/a1', () => 1));
    await hooks.replaceSource('b.ts', (p) => p.routerAdd('GET', '/b', () => 1));
    await hooks.replaceSource('a.ts', (p) => p.routerAdd('GET', '/a2', () => 1));
    const failed = await hooks.replaceSource('a.ts', (p) => {
      p.routerAdd('GET', '/a3', () => 1);
      throw new Error('broken');
    }).then(() => null, (e: Error) => e.message);
    expect(failed).toBe('broken');
    expect(hooks.routes.map((r) => r.path)).toEqual(['/b', '/a2']);
    await hooks.removeSource('a.ts');
    expect(hooks.routes.map((r) => r.path)).toEqual(['/b']);
    expect(changes).toBe(4);
    expect(hooks.hasRecordHooks).toBe(false);
  });
});
