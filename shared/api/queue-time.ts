import { z } from 'zod';

/** Shortest and longest maximum queue time an admin may set. */
export const MIN_MAX_QUEUE_SECONDS = 30;
export const MAX_MAX_QUEUE_SECONDS = 24 * 3600;

/**
 * GET/PUT /api/admin/queue-time-policy (admins): how long a customer may wait in a queue before the
 * widget offers to leave a message instead (they may also keep waiting). Default 10 minutes.
 */
export const QueueTimePolicy = z.strictObject({
  maxQueueSeconds: z.number().int().min(MIN_MAX_QUEUE_SECONDS).max(MAX_MAX_QUEUE_SECONDS),
});
export type QueueTimePolicy = z.infer<typeof QueueTimePolicy>;
