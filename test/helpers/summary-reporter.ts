import type { Reporter, TestModule } from 'vitest/node';

/** Counts of one run, as printed on the closing line. */
export interface RunCounts {
  passed: number;
  failed: number;
  skipped: number;
}

/** Counts test cases; a test file that failed outside its tests (load error, hook) counts as one failure. */
export function countResults(modules: ReadonlyArray<TestModule>, unhandledErrors: number): RunCounts {
  const counts: RunCounts = { passed: 0, failed: 0, skipped: 0 };
  for (const module of modules) {
    let failedTests = 0;
    for (const test of module.children.allTests()) {
      const state = test.result().state;
      if (state === 'passed') counts.passed += 1;
      else if (state === 'failed') {
        counts.failed += 1;
        failedTests += 1;
      } else counts.skipped += 1;
    }
    if (module.state() === 'failed' && failedTests === 0) counts.failed += 1;
  }
  counts.failed += unhandledErrors;
  return counts;
}

/**
 * Prints one plain closing line that CI reads, `Tests: N passed, N failed, N skipped`, after
 * vitest's own summary (which CI does not parse).
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    const { passed, failed, skipped } = countResults(modules, unhandledErrors.length);
    process.stdout.write(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
