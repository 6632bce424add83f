/**
 * Sets `key` in a map used as a bounded cache: when it already holds `max` entries, the oldest
 * one (first inserted) is dropped first. Returns `value`.
 */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): V {
  if (map.size >= max) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
  map.set(key, value);
  return value;
}
