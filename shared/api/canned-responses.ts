import { z } from 'zod';

/**
 * Canned responses (issue 19): the org's snippets (admins write them) and each staff member's own.
 * Their text may hold variables filled from the conversation when one is chosen in the reply box:
 * {customer.name}, {agent.name}, {queue}. The server redacts a snippet's text on save, like any
 * message, and again when the chosen text is sent.
 */
export const CANNED_VARIABLES = ['customer.name', 'agent.name', 'queue'] as const;

export const CannedScope = z.enum(['org', 'personal']);
export type CannedScope = z.infer<typeof CannedScope>;

export const CannedResponseInput = z.strictObject({
  title: z.string().trim().min(1, 'Give the reply a title.').max(80, 'A title may have at most 80 characters.'),
  text: z.string().trim().min(1, 'Write the reply.').max(2000, 'A reply may have at most 2,000 characters.'),
});
export type CannedResponseInput = z.infer<typeof CannedResponseInput>;

/** POST /api/canned-responses: `org` only for admins. */
export const CreateCannedResponse = CannedResponseInput.extend({ scope: CannedScope });
export type CreateCannedResponse = z.infer<typeof CreateCannedResponse>;

export const CannedResponse = z.object({
  id: z.string(),
  scope: CannedScope,
  title: z.string(),
  text: z.string(),
  updatedAt: z.string(),
});
export type CannedResponse = z.infer<typeof CannedResponse>;

/** GET /api/canned-responses: the org's, then the caller's own, each by title. */
export const CannedResponsesResponse = z.object({ items: z.array(CannedResponse) });
export type CannedResponsesResponse = z.infer<typeof CannedResponsesResponse>;

export const DeleteCannedResponseResponse = z.object({ deleted: z.literal(true) });
