import { z } from 'zod';

/**
 * Privacy requests (issue 14): an officer (an admin, or a user of the `privacy` role) finds a
 * person's data by what identifies them, then exports, rectifies or erases it through a request
 * record that moves received → searching → working → completed | failed and ends in a signed
 * receipt. Routes: GET /api/privacy/subjects, POST|GET /api/privacy/requests,
 * GET /api/privacy/requests/:id, …/:id/export (zip), …/:id/receipt (signed JSON).
 */

const email = z.string().trim().toLowerCase().email().max(254);
const phone = z.string().trim().min(3).max(40);
const name = z.string().trim().min(2).max(200);
const interactionId = z.string().trim().min(1).max(100);

/** What an officer typed to find a person. At least one is given. */
export const SubjectIdentifiers = z
  .strictObject({
    email: email.optional(),
    phone: phone.optional(),
    name: name.optional(),
    interactionIds: z.array(interactionId).min(1).max(1000).optional(),
  })
  .refine((s) => s.email !== undefined || s.phone !== undefined || s.name !== undefined || s.interactionIds !== undefined, {
    message: 'Give at least one of email, phone, name or interactionIds.',
  });
export type SubjectIdentifiers = z.infer<typeof SubjectIdentifiers>;

/** GET /api/privacy/subjects?email=|phone=|name=|interactionId= (one or more). */
export const SubjectSearchQuery = z
  .strictObject({ email: email.optional(), phone: phone.optional(), name: name.optional(), interactionId: interactionId.optional() })
  .refine((q) => q.email !== undefined || q.phone !== undefined || q.name !== undefined || q.interactionId !== undefined, {
    message: 'Search by at least one of email, phone, name or interactionId.',
  });
export type SubjectSearchQuery = z.infer<typeof SubjectSearchQuery>;

/** Which identifier found a match. */
export const MatchedBy = z.enum(['email', 'phone', 'name', 'interactionId']);
export type MatchedBy = z.infer<typeof MatchedBy>;

/** One store's count: `store` is a data-map name (a table, a file kind, `local-cache`, …). */
export const StoreCount = z.object({ store: z.string(), count: z.number().int().min(0) });
export type StoreCount = z.infer<typeof StoreCount>;

/** One interaction found for the person, with enough to check it is the right one before acting. */
export const SubjectMatch = z.object({
  interactionId: z.string(),
  kind: z.enum(['chat', 'call']),
  queueName: z.string().nullable(),
  agentName: z.string().nullable(),
  customerName: z.string().nullable(),
  customerEmail: z.string().nullable(),
  createdAt: z.string(),
  endedAt: z.string().nullable(),
  /** Still in progress: export works, erase and rectify are refused until it ends. */
  live: z.boolean(),
  matchedBy: z.array(MatchedBy),
  /** Per store (messages, notes, wrap-ups, recordings, pauses, timeline, shares, …). */
  counts: z.array(StoreCount),
});
export type SubjectMatch = z.infer<typeof SubjectMatch>;

export const SubjectSearchResponse = z.object({
  matches: z.array(SubjectMatch),
  /** Stores outside single interactions that mention the person: audit details, earlier requests' archives, … */
  elsewhere: z.array(StoreCount),
  tookMs: z.number().min(0),
});
export type SubjectSearchResponse = z.infer<typeof SubjectSearchResponse>;

export const PrivacyRequestType = z.enum(['export', 'rectify', 'erase']);
export type PrivacyRequestType = z.infer<typeof PrivacyRequestType>;

export const PrivacyRequestStatus = z.enum(['received', 'searching', 'working', 'completed', 'failed']);
export type PrivacyRequestStatus = z.infer<typeof PrivacyRequestStatus>;

/** What a rectification replaces: a customer field, or a word or phrase in transcripts and notes. */
export const RectifyField = z.enum(['name', 'email', 'phone', 'text']);
export type RectifyField = z.infer<typeof RectifyField>;

export const Replacement = z.strictObject({ field: RectifyField, from: z.string().min(1).max(500), to: z.string().max(500) });
export type Replacement = z.infer<typeof Replacement>;

export const ERASE_NEEDS_CONFIRM = 'An erase deletes the data for good and cannot be undone: send "confirm": true to go ahead.';

/** POST /api/privacy/requests → 202 { id, status }. */
export const CreatePrivacyRequest = z
  .strictObject({
    type: PrivacyRequestType,
    subject: SubjectIdentifiers,
    replacements: z.array(Replacement).min(1).max(20).optional(),
    confirm: z.literal(true).optional(),
  })
  .superRefine((r, ctx) => {
    if (r.type === 'erase' && r.confirm !== true) ctx.addIssue({ code: 'custom', path: ['confirm'], message: ERASE_NEEDS_CONFIRM });
    if (r.type === 'rectify' && !r.replacements) ctx.addIssue({ code: 'custom', path: ['replacements'], message: 'A rectification needs replacements: [{ field, from, to }].' });
    if (r.type !== 'rectify' && r.replacements) ctx.addIssue({ code: 'custom', path: ['replacements'], message: 'Only a rectification takes replacements.' });
  });
export type CreatePrivacyRequest = z.infer<typeof CreatePrivacyRequest>;

export const CreatePrivacyRequestResponse = z.object({ id: z.string(), status: PrivacyRequestStatus });
export type CreatePrivacyRequestResponse = z.infer<typeof CreatePrivacyRequestResponse>;

/** Per store: what the search found and what the request did to it. */
export const StoreResult = z.object({ store: z.string(), found: z.number().int().min(0), done: z.number().int().min(0), note: z.string().optional() });
export type StoreResult = z.infer<typeof StoreResult>;

/** The request record. It outlives what it erased and names nothing of it beyond the identifiers typed. */
export const PrivacyRequest = z.object({
  id: z.string(),
  type: PrivacyRequestType,
  status: PrivacyRequestStatus,
  requestedBy: z.object({ id: z.string(), username: z.string() }),
  createdAt: z.string(),
  updatedAt: z.string(),
  completedAt: z.string().nullable(),
  /** The identifiers as typed while the request runs; null once it ended (only their digests stay). */
  subject: SubjectIdentifiers.nullable(),
  /** SHA-256 of each identifier (kind:value), kept for good: finds earlier requests about the same person. */
  subjectDigests: z.array(z.string()),
  /** Interactions the search found (ids only). */
  interactionIds: z.array(z.string()),
  stores: z.array(StoreResult),
  progress: z.object({ done: z.number().int().min(0), total: z.number().int().min(0) }),
  tookMs: z.number().nullable(),
  /** Why it failed, in words that say what to do next. */
  error: z.string().nullable(),
  /** An export's zip is ready to download (GET …/export). */
  exportReady: z.boolean(),
});
export type PrivacyRequest = z.infer<typeof PrivacyRequest>;

export const PrivacyRequestsResponse = z.object({ requests: z.array(PrivacyRequest) });
export type PrivacyRequestsResponse = z.infer<typeof PrivacyRequestsResponse>;

/** What a receipt states: signed over its canonical JSON (keys sorted) with the server's Ed25519 key. */
export const ReceiptBody = z.object({
  receiptVersion: z.literal(1),
  requestId: z.string(),
  type: PrivacyRequestType,
  organisation: z.string(),
  subjectDigests: z.array(z.string()),
  receivedAt: z.string(),
  completedAt: z.string(),
  tookMs: z.number(),
  /** Every store the request searched, with what it found and did (zero counts included). */
  stores: z.array(StoreResult),
});
export type ReceiptBody = z.infer<typeof ReceiptBody>;

/** GET /api/privacy/requests/:id/receipt: verifiable offline with `npm run privacy -- verify-receipt FILE`. */
export const SignedReceipt = z.object({
  receipt: ReceiptBody,
  algorithm: z.literal('Ed25519'),
  /** The server's public key, SPKI PEM. */
  publicKey: z.string(),
  /** Base64 signature over the receipt's canonical JSON. */
  signature: z.string(),
});
export type SignedReceipt = z.infer<typeof SignedReceipt>;
