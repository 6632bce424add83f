/** Pass counts of one upstream test file. */
export interface FileTally {
  file: string;
  required: boolean;
  passed: number;
  total: number;
}

/** Collects per-file pass counts while the scenarios run. */
export class ConformanceTally {
  readonly #files = new Map<string, FileTally>();

  /** Registers a file before its scenarios run, so that files with no run scenario still show. */
  declare(file: string, required: boolean): void {
    if (!this.#files.has(file)) this.#files.set(file, { file, required, passed: 0, total: 0 });
  }

  record(file: string, passed: boolean): void {
    const tally = this.#files.get(file);
    if (!tally) throw new Error(`undeclared conformance file ${file}`);
    tally.total += 1;
    if (passed) tally.passed += 1;
  }

  /** The compact table printed at the end of the suite. */
  format(elapsedMs: number): string {
    const rows = [...this.#files.values()];
    const width = Math.max(...rows.map((r) => r.file.length), 'total (required)'.length);
    const line = (label: string, passed: number, total: number, mark = '') =>
      `  ${label.padEnd(width)}  ${String(passed).padStart(3)}/${String(total).padEnd(3)} ${mark}`.trimEnd();
    const sum = (list: FileTally[]) => list.reduce((acc, r) => [acc[0]! + r.passed, acc[1]! + r.total], [0, 0]);
    const required = rows.filter((r) => r.required);
    const [reqPassed, reqTotal] = sum(required);
    const [allPassed, allTotal] = sum(rows);
    return [
      `PocketBase conformance (complete scenarios; * = required to pass), ${(elapsedMs / 1000).toFixed(1)} s`,
      ...rows.map((r) => line(r.file, r.passed, r.total, r.required ? '*' : '')),
      `  ${'-'.repeat(width + 10)}`,
      line('total (required)', reqPassed!, reqTotal!),
      line('total', allPassed!, allTotal!),
    ].join('\n');
  }
}
