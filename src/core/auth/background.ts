/**
 * Fire-and-forget work of the auth flows (mails sent after the answer, so that requests for
 * existing and unknown accounts take the same time). Failures are logged, never thrown.
 */
export class Background {
  readonly #pending = new Set<Promise<void>>();
  readonly #logError: (message: string, error: unknown) => void;

  constructor(logError: (message: string, error: unknown) => void = (message, error) => console.error(message, error)) {
    this.#logError = logError;
  }

  /** Runs `task` without waiting for it; `label` names it in the log on failure. */
  run(label: string, task: () => Promise<void>): void {
    const promise = (async () => {
      try {
        await task();
      } catch (error) {
        this.#logError(`[auth] ${label} failed`, error);
      }
    })();
    this.#pending.add(promise);
    void promise.finally(() => this.#pending.delete(promise));
  }

  /** Resolves once every task started so far has settled (tests, graceful shutdown). */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }
}
