/**
 * Where a parsed input holds the NUL character (U+0000) in a string: its path ('' for the root),
 * or null when there is none. PostgreSQL's text cannot store NUL and fails the whole query (the
 * HTTP fuzz run found 500s for ids and text containing it), SQLite would keep it; no person types
 * it. Refusing it at the boundary keeps both databases alike and the answer a clear 400.
 */
export function nulPath(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || '(root)' : null;
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return null;
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('\u0000')) return path ? `${path}.${key}` : key;
    const found = nulPath(item, path ? `${path}.${key}` : key);
    if (found !== null) return found;
  }
  return null;
}

export const NUL_MESSAGE = 'contains the NUL character (U+0000), which cannot be stored; remove it';
