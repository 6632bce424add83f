import { join } from 'node:path';
import type { CronScheduler } from '../core/cron/cron-scheduler.js';
import type { HookRegistry } from '../core/hooks/hook-registry.js';
import { HookLoader } from '../adapters/hooks/hook-loader.js';

export interface HookOptions {
  /** The hooks folder; `false` loads none. Default: `<dataDir>/../plinth_hooks` for `plinth serve`. */
  hooksDir?: string | false;
  /** Reload hook files when they change. */
  hooksWatch?: boolean;
}

/** The folder `plinth serve` loads hooks from by default: `plinth_hooks` beside the data dir. */
export function defaultHooksDir(dataDir: string): string {
  return join(dataDir, '..', 'plinth_hooks');
}

/**
 * Loads the hook files into `registry` and keeps the cron jobs they add registered with the
 * scheduler (a reload swaps them). Returns the loader's `close`.
 */
export async function startHooks(registry: HookRegistry, crons: CronScheduler, options: HookOptions): Promise<{ close(): void }> {
  let added: string[] = [];
  registry.onChange(() => {
    for (const id of added) crons.remove(id);
    added = [];
    for (const job of registry.crons) {
      if (crons.has(job.id)) {
        console.error(`hook ${job.source}: cron ${job.id}: the id is taken (a built-in job or another hook's); not added`);
        continue;
      }
      try {
        crons.add(job.id, job.expression, () => registry.guard(job.source, `cron ${job.id}`, job.fn));
        added.push(job.id);
      } catch (err) {
        console.error(`hook ${job.source}: cron ${job.id}: ${(err as Error).message}`);
      }
    }
  });
  if (!options.hooksDir) return { close: () => undefined };
  const loader = await HookLoader.start({ dir: options.hooksDir, registry, watch: options.hooksWatch });
  if (loader.files.length > 0) console.log(`hooks: loaded ${loader.files.join(', ')} from ${options.hooksDir}`);
  return { close: () => loader.close() };
}
