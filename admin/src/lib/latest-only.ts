/**
 * Keeps only the newest of overlapping loads: when a filter changes while an earlier request is
 * still in flight, the earlier answer may arrive last and must not replace the newer one.
 */
export class LatestOnly {
  #seq = 0;

  /** Starts a load; the returned check is true while no later load has started. */
  begin(): () => boolean {
    const ticket = ++this.#seq;
    return () => ticket === this.#seq;
  }
}
