/**
 * Returns `next`, but with every part that is deeply equal to the same part of `prev` replaced by
 * `prev`'s object, and `prev` itself when nothing changed. Live queries re-run whenever a table
 * changes (during a backfill, every second) and answer with new objects each time; keeping the old
 * ones lets React skip the rows, and whole views, that did not change.
 * Only plain objects and arrays are compared by content; anything else by identity.
 */
export function shareEqual<T>(prev: T, next: T): T {
  if (Object.is(prev, next)) return prev;
  if (Array.isArray(prev) && Array.isArray(next)) {
    let same = prev.length === next.length;
    const out = next.map((item, i) => {
      const kept = i < prev.length ? shareEqual(prev[i], item) : item;
      if (kept !== prev[i]) same = false;
      return kept;
    });
    return (same ? prev : out) as T;
  }
  if (isPlainObject(prev) && isPlainObject(next)) {
    const prevKeys = Object.keys(prev);
    const nextKeys = Object.keys(next);
    let same = prevKeys.length === nextKeys.length;
    const out: Record<string, unknown> = {};
    for (const key of nextKeys) {
      const kept = Object.hasOwn(prev, key) ? shareEqual(prev[key], next[key]) : next[key];
      if (kept !== prev[key] || !Object.hasOwn(prev, key)) same = false;
      out[key] = kept;
    }
    return (same ? prev : out) as T;
  }
  return next;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}
