import { z } from 'zod';

/**
 * Consent, recorded (issue 15; docs/privacy-model.md, "Consent and the training library"). The org
 * publishes a privacy notice (a version and an https link) and the purposes a customer may agree to;
 * the widget shows each purpose as an unticked box, and each ticked one becomes a consent record
 * (purpose, notice version, time, channel) that the customer or an admin can withdraw.
 */

/** The purpose the training library needs. */
export const TRAINING_PURPOSE = 'training';
/** A second opt-in: an interaction marked sensitive may go into the training library only with it. */
export const SENSITIVE_TRAINING_PURPOSE = 'training-sensitive';

export const ConsentPurposeId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a purpose id is 1 to 40 lowercase letters, digits or dashes (e.g. training)');

export const ConsentPurpose = z.strictObject({
  id: ConsentPurposeId,
  /** What the customer agrees to, as the checkbox says it. */
  label: z.string().trim().min(1, 'a purpose needs a label').max(200),
});
export type ConsentPurpose = z.infer<typeof ConsentPurpose>;

/** The WHATWG URL global every runtime has; shared/ is type-checked without DOM or Node types. */
declare const URL: new (input: string) => { protocol: string; username: string; password: string };

/** An https address (the privacy notice is public and must not be read over plain http). */
export const HttpsUrl = z
  .string()
  .trim()
  .max(500)
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' && !url.username && !url.password;
    } catch {
      return false;
    }
  }, 'the privacy notice link must be an https:// address without credentials');

/** GET/PUT /api/admin/consent-settings (admins): the notice and the purposes. */
export const ConsentSettings = z.strictObject({
  noticeVersion: z.string().trim().min(1, 'the notice needs a version (e.g. 2026-01)').max(40),
  noticeUrl: HttpsUrl,
  purposes: z
    .array(ConsentPurpose)
    .max(10, 'at most 10 purposes')
    .refine((list) => new Set(list.map((p) => p.id)).size === list.length, 'each purpose id may appear once'),
});
export type ConsentSettings = z.infer<typeof ConsentSettings>;

/** GET /api/widget/consent-settings (no account): what the widget's start form shows; no notice until an admin sets one. */
export const WidgetConsentSettings = z.object({
  notice: z.object({ version: z.string(), url: z.string() }).nullable(),
  purposes: z.array(z.object({ id: z.string(), label: z.string() })),
});
export type WidgetConsentSettings = z.infer<typeof WidgetConsentSettings>;

/** Who withdrew a consent: the customer (from the widget) or an admin (their user id). */
export const ConsentWithdrawnBy = z.union([z.literal('customer'), z.object({ adminId: z.string() })]);

export const ConsentRecord = z.object({
  id: z.string(),
  interactionId: z.string(),
  purposeId: z.string(),
  /** The label as the customer saw it. */
  purposeLabel: z.string(),
  noticeVersion: z.string(),
  givenAt: z.string(),
  channel: z.literal('widget'),
  withdrawnAt: z.string().nullable(),
  withdrawnBy: ConsentWithdrawnBy.nullable(),
});
export type ConsentRecord = z.infer<typeof ConsentRecord>;

/** GET /api/interactions/:id/consents (staff who may see the interaction), GET /api/widget/consents (the customer's token). */
export const ConsentRecordsResponse = z.object({ consents: z.array(ConsentRecord) });
export type ConsentRecordsResponse = z.infer<typeof ConsentRecordsResponse>;

/** POST /api/widget/consents/:purposeId/withdraw and POST /api/consents/:id/withdraw: the record, withdrawn. */
export const WithdrawConsentResponse = z.object({ consent: ConsentRecord, trainingItemsDropped: z.number().int() });
export type WithdrawConsentResponse = z.infer<typeof WithdrawConsentResponse>;

export const WidgetWithdrawParams = z.object({ purposeId: ConsentPurposeId });

// ---- training library

export const TrainingMaterial = z.enum(['transcript', 'recording']);
export type TrainingMaterial = z.infer<typeof TrainingMaterial>;

/** POST /api/training (supervisors, admins): add an ended interaction's transcript or recording. */
export const AddTrainingItemRequest = z.strictObject({
  interactionId: z.string().min(1).max(64),
  what: TrainingMaterial,
});
export type AddTrainingItemRequest = z.infer<typeof AddTrainingItemRequest>;

/** A reference into History, never a copy: the transcript or recording stays where it is. */
export const TrainingItem = z.object({
  id: z.string(),
  interactionId: z.string(),
  what: TrainingMaterial,
  kind: z.enum(['chat', 'call', 'message']),
  queueName: z.string(),
  addedBy: z.string(),
  addedByName: z.string(),
  addedAt: z.string(),
});
export type TrainingItem = z.infer<typeof TrainingItem>;

export const TrainingItemsResponse = z.object({ items: z.array(TrainingItem) });
export type TrainingItemsResponse = z.infer<typeof TrainingItemsResponse>;

/**
 * GET /api/training/:id: the item with its material, read again under the consent rules (a
 * transcript's lines; a recording's ids, played through /api/recordings/:id/audio).
 */
export const TrainingItemDetail = TrainingItem.extend({
  messages: z.array(z.object({ seq: z.number().int(), from: z.enum(['customer', 'agent', 'system']), authorName: z.string(), text: z.string(), at: z.string() })),
  recordingIds: z.array(z.string()),
});
export type TrainingItemDetail = z.infer<typeof TrainingItemDetail>;
