import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the folder holding package.json), found from this file's location. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above test/helpers');
    dir = parent;
  }
  return dir;
}

/**
 * The team's shared material, `../shared` beside the repository (in CI: beside the fresh clone).
 * `PLINTH_SHARED_DIR` overrides it. The folder may be missing; see {@link requireShared}.
 */
export function sharedDir(): string {
  return resolve(process.env.PLINTH_SHARED_DIR ?? join(repoRoot(), '..', 'shared'));
}

/** PocketBase's conformance material inside the shared folder: `scenarios.json` and `fixture/`. */
export function conformanceDir(): string {
  return join(sharedDir(), 'pocketbase-conformance');
}

/** PocketBase's API test data directory (`data.db`, `auxiliary.db`, `storage/`). */
export function fixtureDir(): string {
  return join(conformanceDir(), 'fixture');
}
