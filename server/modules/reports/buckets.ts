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
