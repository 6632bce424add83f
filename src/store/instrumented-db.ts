import type { Db } from './db.js';

/** Receives the duration of every database call. */
export type QueryObserver = (op: string, seconds: number, failed: boolean) => void;

const TIMED = new Set(['all', 'get', 'run', 'exec', 'transaction']);

/**
 * The same Db, reporting the duration of each `all/get/run/exec/transaction` call (metrics).
 * Everything else (and any method a driver adds) is forwarded untouched. Calls made inside a
 * transaction are counted as part of `transaction`.
 */
export function instrumentDb<D extends Db>(db: D, observe: QueryObserver): D {
  return new Proxy(db, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof prop !== 'string' || !TIMED.has(prop) || typeof value !== 'function') {
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      }
      return async (...args: unknown[]) => {
        const start = performance.now();
        try {
          const result: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          observe(prop, (performance.now() - start) / 1000, false);
          return result;
        } catch (err) {
          observe(prop, (performance.now() - start) / 1000, true);
          throw err;
        }
      };
    },
  });
}
