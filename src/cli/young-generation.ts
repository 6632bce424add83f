import { setFlagsFromString } from 'node:v8';

/** V8's default: the young generation doubles when a scavenge finds many survivors. */
const DEFAULT_GROWTH_FACTOR = 2;

/**
 * Start-up memory. V8 grows the young generation whenever many objects survive a scavenge,
 * which is what loading a few hundred modules and the schema looks like: it ends at 16 MB
 * (~9 MB resident) although an idle server allocates almost nothing. Holding it at its initial
 * size until the server listens keeps that memory out of an idle server (docs/performance.md:
 * ~7 MB of idle RSS), and releasing it then lets a loaded server grow it as before (holding it
 * for good cost ~13 % CPU per list request under load).
 *
 * `setFlagsFromString` after start-up is outside Node's guarantees; this flag is read at each
 * growth decision, which `test/cli/young-generation.test.ts` checks on the running Node.
 */
export function holdYoungGeneration(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

/** Restores V8's default growth (idempotent). */
export function releaseYoungGeneration(): void {
  setFlagsFromString(`--semi-space-growth-factor=${DEFAULT_GROWTH_FACTOR}`);
}
