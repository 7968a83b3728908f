import { z } from 'zod';

/**
 * Reports (issue 16). Supervisors' and admins' reports (GET /api/reports, /api/reports.csv): per
 * queue or per agent of the caller's team, per UTC day or hour, counts and percentiles only. No
 * customer identifier, message or note text, and no interaction id ever appears; interactions
 * marked sensitive are counted (`sensitive`), never listed. Anonymous statistics
 * (GET /api/reports/anonymous) are for use outside the organisation: per queue and hour or day,
 * cells below the org's k suppressed, with complementary suppression (docs/privacy-model.md).
 */

export const MIN_ANONYMOUS_K = 5;
export const DEFAULT_ANONYMOUS_K = 10;
/** Hour buckets over at most this many days; day buckets over at most MAX_DAY_RANGE_DAYS. */
export const MAX_HOUR_RANGE_DAYS = 31;
export const MAX_DAY_RANGE_DAYS = 366;

const instant = (what: string) =>
  z
    .string({ message: `${what}: an ISO-8601 date-time such as 2026-12-01T00:00:00Z` })
    .refine((s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)), {
      message: `${what}: an ISO-8601 date-time such as 2026-12-01T00:00:00Z`,
    })
    .transform((s) => new Date(s).toISOString());

export const ReportGrouping = z.enum(['queue', 'agent']);
export type ReportGrouping = z.infer<typeof ReportGrouping>;
export const ReportBucket = z.enum(['hour', 'day']);
export type ReportBucket = z.infer<typeof ReportBucket>;

function rangeChecked<T extends { from: string; to: string; bucket: ReportBucket }>(q: T, ctx: z.RefinementCtx): void {
  const span = Date.parse(q.to) - Date.parse(q.from);
  if (span <= 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must be after from' });
  const maxDays = q.bucket === 'hour' ? MAX_HOUR_RANGE_DAYS : MAX_DAY_RANGE_DAYS;
  if (span > maxDays * 86_400_000) ctx.addIssue({ code: 'custom', path: ['to'], message: `by ${q.bucket} covers at most ${maxDays} days: shorten the range or use by=queue,day` });
}

/** `by=queue,day` → { group: 'queue', bucket: 'day' }. */
const by = (groups: readonly ReportGrouping[]) =>
  z
    .string({ message: `by: one of ${groups.flatMap((g) => [`${g},day`, `${g},hour`]).join(', ')}` })
    .transform((s, ctx) => {
      const [group, bucket, extra] = s.split(',');
      const g = ReportGrouping.safeParse(group);
      const b = ReportBucket.safeParse(bucket);
      if (extra !== undefined || !g.success || !b.success || !groups.includes(g.data)) {
        ctx.addIssue({ code: 'custom', message: `by: one of ${groups.flatMap((x) => [`${x},day`, `${x},hour`]).join(', ')}` });
        return z.NEVER;
      }
      return { group: g.data, bucket: b.data };
    });

export const ReportQuery = z
  .strictObject({ from: instant('from'), to: instant('to'), by: by(['queue', 'agent']) })
  .transform((q) => ({ from: q.from, to: q.to, group: q.by.group, bucket: q.by.bucket }))
  .superRefine(rangeChecked);
export type ReportQuery = z.output<typeof ReportQuery>;

const count = z.number().int().min(0);
const ms = z.number().int().min(0).nullable();

/** One row: a queue (or an agent) in one UTC bucket. Durations in milliseconds; null when nothing was measured. */
export const ReportRow = z.object({
  group: z.object({ kind: ReportGrouping, id: z.string(), name: z.string() }),
  /** The bucket's start, ISO-8601 UTC (a whole hour or day). */
  bucket: z.string(),
  /** Per queue: chats and calls that entered the queue. Per agent: distinct interactions offered to the agent. */
  offered: count,
  answered: count,
  /** Ended by the customer before an agent answered. */
  abandoned: count,
  waitP50Ms: ms,
  waitP90Ms: ms,
  /** Answer to end of wrap-up (or to end when there was none). */
  handleP50Ms: ms,
  handleP90Ms: ms,
  /** Wrap-up dispositions (the queue's fixed list) with their counts. */
  dispositions: z.record(z.string(), count),
  transfers: count,
  /** Secure pauses of the recording. */
  securePauses: count,
  /** How many of these interactions are marked sensitive: counted here, never listed. */
  sensitive: count,
});
export type ReportRow = z.infer<typeof ReportRow>;

export const ReportResponse = z.object({
  from: z.string(),
  to: z.string(),
  group: ReportGrouping,
  bucket: ReportBucket,
  rows: z.array(ReportRow),
});
export type ReportResponse = z.infer<typeof ReportResponse>;

export const AnonymousStatsQuery = z
  .strictObject({ from: instant('from'), to: instant('to'), by: by(['queue']) })
  .transform((q) => ({ from: q.from, to: q.to, group: q.by.group, bucket: q.by.bucket }))
  .superRefine(rangeChecked);
export type AnonymousStatsQuery = z.output<typeof AnonymousStatsQuery>;

const measure = z.number().int().min(0).nullable();

/** A published cell, or a suppressed one (every value null) with the reason. */
export const AnonymousCell = z.object({
  queue: z.string(),
  bucket: z.string(),
  interactions: measure,
  suppressed: z.boolean(),
  /** `below_k`: fewer than k interactions; `complementary`: hidden so that a below_k cell cannot be derived. */
  reason: z.enum(['below_k', 'complementary']).optional(),
  answered: measure,
  abandoned: measure,
  waitP50Ms: measure,
  waitP90Ms: measure,
  handleP50Ms: measure,
  handleP90Ms: measure,
  transfers: measure,
  securePauses: measure,
});
export type AnonymousCell = z.infer<typeof AnonymousCell>;

export const AnonymousStatsResponse = z.object({
  k: z.number().int().min(MIN_ANONYMOUS_K),
  /** The range as computed: aligned outward to whole buckets. */
  from: z.string(),
  to: z.string(),
  bucket: ReportBucket,
  /** `geometric`: shown counts carry two-sided geometric noise of budget `epsilon` (docs/privacy-model.md). */
  noise: z.enum(['none', 'geometric']),
  /** With noise: ε of this response. */
  epsilon: z.number().optional(),
  cells: z.array(AnonymousCell),
});
export type AnonymousStatsResponse = z.infer<typeof AnonymousStatsResponse>;

/** The org's statistics settings (admins, audited). */
export const ReportSettings = z.strictObject({
  anonymousK: z
    .number({ message: `anonymousK: a whole number, at least ${MIN_ANONYMOUS_K}` })
    .int({ message: `anonymousK: a whole number, at least ${MIN_ANONYMOUS_K}` })
    .min(MIN_ANONYMOUS_K, { message: `anonymousK: at least ${MIN_ANONYMOUS_K} (smaller groups can identify people)` })
    .max(1000, { message: 'anonymousK: at most 1000' }),
});
export type ReportSettings = z.infer<typeof ReportSettings>;

export const MIN_NOISE_EPSILON = 0.01;
export const MAX_NOISE_EPSILON = 10;

/**
 * Differential-privacy noise on the anonymous statistics (admins, audited; off by default). epsilon:
 * the privacy budget of one response, to the thousandth (smaller: more noise).
 */
export const AnonymousNoiseSettings = z.strictObject({
  enabled: z.boolean({ message: 'enabled: true or false' }),
  epsilon: z
    .number({ message: `epsilon: a number from ${MIN_NOISE_EPSILON} to ${MAX_NOISE_EPSILON}` })
    .min(MIN_NOISE_EPSILON, { message: `epsilon: at least ${MIN_NOISE_EPSILON}` })
    .max(MAX_NOISE_EPSILON, { message: `epsilon: at most ${MAX_NOISE_EPSILON} (larger budgets protect next to nothing)` })
    .refine((e) => Math.abs(e * 1000 - Math.round(e * 1000)) < 1e-6, { message: 'epsilon: at most three decimals, such as 0.5 or 1.25' }),
});
export type AnonymousNoiseSettings = z.infer<typeof AnonymousNoiseSettings>;
export const DEFAULT_NOISE_SETTINGS: AnonymousNoiseSettings = { enabled: false, epsilon: 1 };
