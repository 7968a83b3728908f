import { z } from 'zod';
import { Queue } from '../domain/interactions';

/** Admins' queues (Admin → Queues). The agents' own list stays GET /api/queues. */
export const AdminQueuesResponse = z.object({ queues: z.array(Queue) });
export type AdminQueuesResponse = z.infer<typeof AdminQueuesResponse>;

const Name = z.string().trim().min(1, 'name is required').max(100, 'name is at most 100 characters');
const Dispositions = z
  .array(z.string().trim().min(1, 'a disposition needs a name').max(100, 'a disposition is at most 100 characters'))
  .min(1, 'name at least one disposition')
  .max(50)
  .refine((list) => new Set(list).size === list.length, { message: 'dispositions must differ' });
/** The CLI's range. */
const OfferTimeoutMs = z.number().int().min(1000, 'offer timeout is at least 1000 ms').max(300_000, 'offer timeout is at most 300000 ms');
/** Null: the server's VEILDESK_CHAT_CAPACITY. */
const ChatCapacity = z.number().int().min(1, 'chat capacity is at least 1').max(20, 'chat capacity is at most 20').nullable();
const MemberIds = z.array(z.string().min(1).max(64)).max(1000);

/** POST /api/admin/queues: a new queue (409 when the id is taken; 400 for an unknown member). */
export const CreateQueueRequest = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]{1,64}$/, 'id is 1-64 characters of a-z, 0-9 and dash'),
  name: Name,
  dispositions: Dispositions,
  offerTimeoutMs: OfferTimeoutMs.default(15_000),
  chatCapacity: ChatCapacity.default(null),
  memberIds: MemberIds.default([]),
});
export type CreateQueueRequest = z.input<typeof CreateQueueRequest>;

/**
 * PUT /api/admin/queues/:id: changes what is sent (members: the whole new list). Applies at once
 * to routing; offers already made keep their deadline.
 */
export const UpdateQueueRequest = z
  .strictObject({ name: Name.optional(), dispositions: Dispositions.optional(), offerTimeoutMs: OfferTimeoutMs.optional(), chatCapacity: ChatCapacity.optional(), memberIds: MemberIds.optional() })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'send at least one field to change' });
export type UpdateQueueRequest = z.infer<typeof UpdateQueueRequest>;
