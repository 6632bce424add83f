/**
 * Runs the CLI's `main()` in-process with console.log / console.error captured.
 */
import { vi } from 'vitest';
import { main } from '../../src/cli/main.js';

/** What a `main(argv)` run printed, with its exit code. */
export interface MainRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `main(argv)` with console.log/console.error captured (restored afterwards). */
export async function runMain(argv: string[]): Promise<MainRun> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void out.push(args.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void err.push(args.join(' ')));
  try {
    const code = await main(argv);
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}
