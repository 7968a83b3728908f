import { DomainError } from '../../kernel/errors';

/** The bytes start..end (inclusive) of a file, as a Range header asked for them. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * One range of a `Range: bytes=…` header against a file of `size` bytes (RFC 9110 14.1.2):
 * `a-b`, `a-` or `-n` (the last n). No header: null (the whole file). Several ranges or another
 * unit: null too (a server may answer those with the whole file). A range that starts past the
 * end cannot be satisfied: a clear refusal (416).
 */
export function parseByteRange(header: string | undefined, size: number): ByteRange | null {
  if (!header) return null;
  const m = /^bytes=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) throw unsatisfiable(size);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (m[2] !== '' && Number(m[2]) < start) return null;
  }
  if (!Number.isSafeInteger(start) || start >= size) throw unsatisfiable(size);
  return { start, end };
}

export class RangeNotSatisfiable extends DomainError {
  constructor(readonly size: number) {
    super('bad_request', `The requested range starts past the end of the audio (${size} bytes). Ask for bytes=0-${Math.max(0, size - 1)} or less.`);
  }
}

function unsatisfiable(size: number): RangeNotSatisfiable {
  return new RangeNotSatisfiable(size);
}
