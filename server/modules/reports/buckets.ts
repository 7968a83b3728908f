import type { ReportBucket } from '../../../shared/api/reports';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

const sizeOf = (bucket: ReportBucket) => (bucket === 'hour' ? HOUR_MS : DAY_MS);

/**
 * The range widened to whole buckets on fixed UTC boundaries (from down, to up). Every request sees
 * the same cells for the same hours, whatever range it asks for: two ranges that differ by an hour
 * differ by whole cells, never by a part of one.
 */
export function alignRange(from: string, to: string, bucket: ReportBucket): { from: string; to: string } {
  const size = sizeOf(bucket);
  const start = Math.floor(Date.parse(from) / size) * size;
  const end = Math.ceil(Date.parse(to) / size) * size;
  return { from: new Date(start).toISOString(), to: new Date(Math.max(end, start + size)).toISOString() };
}

/** Every bucket start in an aligned range, oldest first. */
export function bucketsIn(range: { from: string; to: string }, bucket: ReportBucket): string[] {
  const size = sizeOf(bucket);
  const out: string[] = [];
  for (let t = Date.parse(range.from); t < Date.parse(range.to); t += size) out.push(new Date(t).toISOString());
  return out;
}

/**
 * The fixed suppression block a bucket belongs to: the UTC day of an hour, the UTC calendar month of
 * a day. Complementary suppression runs within whole blocks, so whether a cell is shown depends on
 * its block's data only, never on the range a request asked for.
 */
export function blockOf(bucketStart: string, bucket: ReportBucket): string {
  return bucket === 'hour' ? `${bucketStart.slice(0, 10)}T00:00:00.000Z` : `${bucketStart.slice(0, 7)}-01T00:00:00.000Z`;
}

/** An aligned range widened to whole blocks (days for hours, calendar months for days). */
export function blockRange(range: { from: string; to: string }, bucket: ReportBucket): { from: string; to: string } {
  if (bucket === 'hour') return alignRange(range.from, range.to, 'day');
  const from = new Date(range.from);
  const start = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1);
  const to = new Date(range.to);
  let end = Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), 1);
  if (end < to.getTime()) end = Date.UTC(to.getUTCFullYear(), to.getUTCMonth() + 1, 1);
  return { from: new Date(start).toISOString(), to: new Date(end).toISOString() };
}
