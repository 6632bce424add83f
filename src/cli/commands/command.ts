/** One CLI command: one file each in this folder, listed in index.ts. */
export interface Command {
  summary: string;
  /** Returns the exit code. Throws UsageError for bad flags or arguments. */
  run(argv: string[]): Promise<number>;
}
