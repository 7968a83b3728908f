import { z } from 'zod';

/**
 * Notices by e-mail (issue 16): an admin sends a short notice of a material change to every
 * distinct customer e-mail still on record (within the retention policy's contact window), one
 * message per address through the org's SMTP server, rate-limited and resumable after a restart.
 * Routes: POST /api/admin/notice-campaigns → 202, GET /api/admin/notice-campaigns(/:id).
 * Answers carry counts only: no address ever leaves the server except to the SMTP server.
 */

export const DEFAULT_NOTICE_SUBJECT = 'An update to our privacy notice';

/** POST /api/admin/notice-campaigns. */
export const CreateNoticeCampaign = z.strictObject({
  /** One line (it becomes a mail header); default DEFAULT_NOTICE_SUBJECT. */
  subject: z
    .string()
    .trim()
    .min(1, 'a subject needs at least one character; leave it out for the default')
    .max(200, 'a subject is at most 200 characters')
    .regex(/^[^\r\n]*$/, 'a subject is one line (no line breaks)')
    .optional(),
  /** The notice itself, plain text. */
  text: z.string().trim().min(1, 'write the notice text').max(10_000, 'a notice is at most 10,000 characters'),
});
export type CreateNoticeCampaign = z.infer<typeof CreateNoticeCampaign>;

export const NoticeCampaignStatus = z.enum(['running', 'completed']);
export type NoticeCampaignStatus = z.infer<typeof NoticeCampaignStatus>;

const count = z.number().int().min(0);

export const NoticeCampaign = z.object({
  id: z.string(),
  subject: z.string(),
  text: z.string(),
  status: NoticeCampaignStatus,
  createdAt: z.string(),
  /** The admin's username. */
  createdBy: z.string(),
  completedAt: z.string().nullable(),
  /** total = sent + failed + pending + skipped. Skipped: erased (or no longer on record) before its turn. */
  counts: z.object({ total: count, sent: count, failed: count, pending: count, skipped: count }),
  /** Why the failed ones failed (an SMTP reply code like `smtp_550`, or a connection error code); never an address. */
  failures: z.array(z.object({ reason: z.string(), count })),
});
export type NoticeCampaign = z.infer<typeof NoticeCampaign>;

export const NoticeCampaignsResponse = z.object({ campaigns: z.array(NoticeCampaign) });
export type NoticeCampaignsResponse = z.infer<typeof NoticeCampaignsResponse>;
