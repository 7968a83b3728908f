import { randomFillSync } from 'node:crypto';

let lastMs = -1;
let counter = 0;
/** Random bytes drawn 4 KiB at a time (as randomUUID does): one draw per id cost more than the rest of it. */
const pool = Buffer.alloc(4096);
let poolAt = pool.length;
let poolHex = '';
/** The id's first 15 characters (time and version) for `lastMs`; '' once it changed. */
let timePrefix = '';

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix time in ms, a 12-bit counter within the ms (method
 * 1, so ids made by this process sort in creation order), 62 random bits. For rows written at a
 * high rate (chat messages): each new key lands on the last page of its index instead of a random
 * one, so a commit writes far fewer pages than with random (v4) ids. It reveals the creation time
 * to the ms, which the rows carry anyway (`at`).
 */
export function timeOrderedId(now: number = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
    timePrefix = '';
  } else if (++counter > 0xfff) {
    // More than 4,096 ids in one ms (or the clock went back): borrow the next ms.
    lastMs += 1;
    counter = 0;
    timePrefix = '';
  }
  if (timePrefix === '') {
    const time = lastMs.toString(16).padStart(12, '0');
    timePrefix = `${time.slice(0, 8)}-${time.slice(8)}-7`;
  }
  if (poolAt + 8 > pool.length) {
    randomFillSync(pool);
    poolHex = pool.toString('hex');
    poolAt = 0;
  }
  const r = poolAt;
  poolAt += 8;
  // Variant bits 10 on the first random byte; the other 62 bits straight from the pool.
  const variant = (0x80 | (pool[r]! & 0x3f)).toString(16);
  return `${timePrefix}${(0x1000 | counter).toString(16).slice(1)}-${variant}${poolHex.slice(2 * r + 2, 2 * r + 4)}-${poolHex.slice(2 * r + 4, 2 * r + 16)}`;
}
