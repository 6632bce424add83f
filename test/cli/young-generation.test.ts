/**
 * `bin/plinth.js` holds V8's young generation at its initial size while the app loads and
 * releases it once the server listens (src/cli/young-generation.ts). Both rely on V8 reading
 * `--semi-space-growth-factor` at each growth decision; this checks that on the running Node,
 * in a child process so the test runner's own heap is left alone.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const CHILD = `
import v8 from 'node:v8';
import { holdYoungGeneration, releaseYoungGeneration } from ${JSON.stringify(new URL('../../src/cli/young-generation.ts', import.meta.url).href)};
const newSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1048576;
// many young objects that survive several scavenges: what makes V8 grow the young generation
function churn() {
  const keep = [];
  for (let i = 0; i < 400_000; i++) {
    keep.push({ i, s: 'x' + i });
    if (keep.length > 100_000) keep.splice(0, 50_000);
  }
  return keep.length;
}
const before = newSpace(); // the loader (tsx) may have grown it already
holdYoungGeneration();
churn(); churn();
const held = newSpace();
releaseYoungGeneration();
churn(); churn();
console.log(JSON.stringify({ before, held, released: newSpace() }));
`;

describe('young generation during start-up', () => {
  it('stays at its initial size while held and grows again once released', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], { encoding: 'utf8', timeout: 60_000 });
    expect(result.stderr).toBe('');
    const { before, held, released } = JSON.parse(result.stdout) as { before: number; held: number; released: number };
    expect(held).toBeLessThanOrEqual(before);
    expect(released).toBeGreaterThan(held);
  }, 90_000);
});
