import { describe, expect, it } from 'vitest';
import { parseByteRange, RangeNotSatisfiable } from '../../../../server/modules/recordings/byte-range';

describe('Range header', () => {
  it('reads one byte range against the file size', () => {
    expect(parseByteRange(undefined, 100)).toBeNull();
    expect(parseByteRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseByteRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseByteRange('bytes=90-500', 100)).toEqual({ start: 90, end: 99 });
    expect(parseByteRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseByteRange('bytes=-500', 100)).toEqual({ start: 0, end: 99 });
  });

  it('answers the whole file for what it does not serve (several ranges, other units, nonsense)', () => {
    for (const h of ['bytes=0-1,5-6', 'items=0-1', 'bytes=9-3', 'bytes=-', 'garbage']) expect(parseByteRange(h, 100), h).toBeNull();
  });

  it('refuses a range that starts past the end', () => {
    expect(() => parseByteRange('bytes=100-', 100)).toThrow(RangeNotSatisfiable);
    expect(() => parseByteRange('bytes=-0', 100)).toThrow(RangeNotSatisfiable);
    expect(() => parseByteRange('bytes=0-', 0)).toThrow(/past the end of the audio \(0 bytes\)/);
  });
});
