import { z } from 'zod';

/**
 * The org's retention policy (GET/PUT /api/admin/retention-policy, admins, audited): how many days
 * each class of personal data is kept after an interaction closes; null keeps it. A job (hourly
 * and at start) purges what is older through the same path as an erase, with tombstones to every
 * local cache. POST /api/admin/retention-policy/preview shows what a policy would purge now.
 */
const days = z
  .number({ message: 'a whole number of days (1 to 36500), or null to keep forever' })
  .int({ message: 'a whole number of days (1 to 36500), or null to keep forever' })
  .min(1, { message: 'keep it at least 1 day, or null to keep forever' })
  .max(36500, { message: 'at most 36500 days (100 years), or null to keep forever' })
  .nullable();

export const MIN_AUDIT_DAYS = 365;

export const RetentionPolicy = z.strictObject({
  /** Chat messages, agents' notes and wrap-up notes. */
  transcriptsDays: days,
  /** Transcripts of interactions marked sensitive: usually shorter. */
  sensitiveTranscriptsDays: days,
  /** Recordings: rows, pauses, chunk and assembled files. */
  recordingsDays: days,
  /** The customer's name, e-mail and phone on interactions. */
  contactsDays: days,
  /** Closed interactions' remaining details (timeline, shares, monitoring sessions). */
  interactionsDays: days,
  /** The audit log: at least a year. */
  auditDays: z
    .number({ message: `a whole number of days (${MIN_AUDIT_DAYS} to 36500), or null to keep forever` })
    .int({ message: `a whole number of days (${MIN_AUDIT_DAYS} to 36500), or null to keep forever` })
    .min(MIN_AUDIT_DAYS, { message: `the audit log is kept at least ${MIN_AUDIT_DAYS} days: set ${MIN_AUDIT_DAYS} or more, or null to keep it forever` })
    .max(36500, { message: 'at most 36500 days (100 years), or null to keep forever' })
    .nullable(),
});
export type RetentionPolicy = z.infer<typeof RetentionPolicy>;

export const RetentionPreview = z.object({
  /** Evaluated at this time (the server's clock). */
  at: z.string(),
  /** Per retention class, per store: how many would be purged now. */
  classes: z.array(z.object({ retention: z.string(), stores: z.array(z.object({ store: z.string(), count: z.number().int().min(0) })) })),
});
export type RetentionPreview = z.infer<typeof RetentionPreview>;
