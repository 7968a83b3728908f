import { z } from 'zod';

/**
 * GET/PUT /api/admin/child-protection-policy (admins): whether the widget asks for a year of birth
 * before a chat or call (privacy-model.md, principle 7). Off until an admin turns it on.
 */
export const ChildProtectionPolicy = z.strictObject({ askBirthYear: z.boolean() });
export type ChildProtectionPolicy = z.infer<typeof ChildProtectionPolicy>;

/** GET /api/widget/settings (no account): what the widget's start form shows. */
export const WidgetSettings = z.object({ askBirthYear: z.boolean() });
export type WidgetSettings = z.infer<typeof WidgetSettings>;
