import { z } from 'zod';

/**
 * Privacy notice versions (issue 16): admins publish them, they never change once published, and
 * the current one (the latest whose effective date has come) is public. Staff accept a material
 * version before they work; a newer non-material one is only announced.
 */

/** `2026-12-01` (midnight UTC) or a full ISO date-time with an offset. */
const EffectiveDate = z
  .string()
  .trim()
  .refine((v) => {
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(v);
    if (!dateOnly && !z.string().datetime({ offset: true }).safeParse(v).success) return false;
    return !Number.isNaN(Date.parse(dateOnly ? `${v}T00:00:00Z` : v));
  }, 'give a date (2026-12-01) or an ISO date-time (2026-12-01T09:00:00Z)');

/** POST /api/admin/privacy-notices (admins). */
export const PublishPrivacyNoticeRequest = z.strictObject({
  text: z.string().trim().min(1, 'the notice needs its text').max(50_000, 'at most 50,000 characters'),
  effectiveDate: EffectiveDate,
  material: z.boolean({ message: 'say whether the change is material (true: staff must accept it again)' }),
});
export type PublishPrivacyNoticeRequest = z.infer<typeof PublishPrivacyNoticeRequest>;

/** One published version. `version` counts up from 1; the consent records name it as `noticeVersion`. */
export const PrivacyNotice = z.object({
  id: z.string(),
  version: z.string(),
  text: z.string(),
  /** ISO date-time from which it applies. */
  effectiveAt: z.string(),
  material: z.boolean(),
  publishedAt: z.string(),
});
export type PrivacyNotice = z.infer<typeof PrivacyNotice>;

/** GET /api/admin/privacy-notices: every version, newest effective first, with who accepted it. */
export const PrivacyNoticeAcceptance = z.object({ userId: z.string(), username: z.string(), displayName: z.string(), acceptedAt: z.string() });
export type PrivacyNoticeAcceptance = z.infer<typeof PrivacyNoticeAcceptance>;

export const AdminPrivacyNotice = PrivacyNotice.extend({
  publishedBy: z.string().nullable(),
  /** Whether it is the one in force now. */
  current: z.boolean(),
  acceptances: z.array(PrivacyNoticeAcceptance),
});
export type AdminPrivacyNotice = z.infer<typeof AdminPrivacyNotice>;

export const AdminPrivacyNoticesResponse = z.object({ notices: z.array(AdminPrivacyNotice) });
export type AdminPrivacyNoticesResponse = z.infer<typeof AdminPrivacyNoticesResponse>;

/** GET /api/privacy-notice (public): the version in force, or null before any is effective. */
export const CurrentPrivacyNoticeResponse = z.object({ notice: PrivacyNotice.nullable() });
export type CurrentPrivacyNoticeResponse = z.infer<typeof CurrentPrivacyNoticeResponse>;

/** GET /api/privacy-notice/mine (staff): what the app must show this user before and in the shell. */
export const MyPrivacyNoticeResponse = z.object({
  current: PrivacyNotice.nullable(),
  /** True when the user has not accepted the latest material version (or anything newer): the app shows the notice before the shell. */
  mustAccept: z.boolean(),
  /** When the current version is newer than what the user accepted but not material: the app shows an "updated" banner. */
  updated: z.object({ noticeId: z.string(), effectiveAt: z.string() }).nullable(),
  acceptedAt: z.string().nullable(),
});
export type MyPrivacyNoticeResponse = z.infer<typeof MyPrivacyNoticeResponse>;

/** POST /api/privacy-notice/accept (staff): only the current version. */
export const AcceptPrivacyNoticeRequest = z.strictObject({ noticeId: z.string().min(1).max(64) });
export type AcceptPrivacyNoticeRequest = z.infer<typeof AcceptPrivacyNoticeRequest>;

export const AcceptPrivacyNoticeResponse = z.object({ noticeId: z.string(), version: z.string(), acceptedAt: z.string() });
export type AcceptPrivacyNoticeResponse = z.infer<typeof AcceptPrivacyNoticeResponse>;
