import { z } from 'zod';
import { SensitiveCategory, SensitiveMark } from '../domain/sensitive';

/**
 * POST /api/interactions/:id/sensitive: mark an interaction as holding sensitive personal data
 * (a category), change the category, or remove the mark (`category: null`; supervisors with the
 * `sensitive` permission and admins only).
 */
export const MarkSensitiveRequest = z.strictObject({ category: SensitiveCategory.nullable() });
export type MarkSensitiveRequest = z.infer<typeof MarkSensitiveRequest>;

export const MarkSensitiveResponse = z.object({ interactionId: z.string(), sensitive: SensitiveMark.nullable() });
export type MarkSensitiveResponse = z.infer<typeof MarkSensitiveResponse>;
