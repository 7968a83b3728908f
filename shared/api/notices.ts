import { z } from 'zod';

/**
 * GET /api/widget/notices (no account, rate-limited per address): the facts of the org's own
 * policies that the widget tells a customer before a chat or call starts (privacy-model.md,
 * "Telling people what applies"). Each field is read from the setting that decides it, so the
 * widget never states more, or less, than the org does.
 */
export const WidgetNotices = z.object({
  /** The recording policy records calls (a call with a child never is; the in-call line says so). */
  recordsCalls: z.boolean(),
  /** The monitoring policy lets at least one role listen to calls live. */
  supervisorsMayListen: z.boolean(),
  /** The agent can pause the recording (secure pause exists whenever calls are recorded). */
  agentMayPause: z.boolean(),
  /** Card numbers typed in a chat are removed before the message is stored (the redaction policy). */
  redactsCardNumbers: z.boolean(),
  /** Days a chat transcript is kept after the conversation closes (retention policy); null: kept until erased. */
  transcriptsDays: z.number().int().min(1).nullable(),
  /** Days a call recording is kept (retention policy); null: kept until erased. */
  recordingsDays: z.number().int().min(1).nullable(),
  /** The org's privacy notice; the effective date once published notice versions carry one. */
  notice: z.object({ version: z.string(), url: z.string(), effectiveDate: z.string().nullable() }).nullable(),
});
export type WidgetNotices = z.infer<typeof WidgetNotices>;
