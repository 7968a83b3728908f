import { z } from 'zod';
import { MAX_ORG_PATTERNS, MAX_ORG_PATTERN_LENGTH, REDACTION_ENTITIES } from '../redaction/policy';
import { compileOrgPattern } from '../redaction/org-patterns';

/** What the redactor can replace: the built-in entities and the org's own patterns. */
export const RedactionKind = z.enum([...REDACTION_ENTITIES, 'org']);
export type RedactionKind = z.infer<typeof RedactionKind>;

export const OrgPatternInput = z
  .object({
    label: z.string().trim().min(2).max(40),
    pattern: z.string().min(1).max(MAX_ORG_PATTERN_LENGTH),
    caseInsensitive: z.boolean().optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    const check = compileOrgPattern(p);
    if (!check.ok) ctx.addIssue({ code: 'custom', message: check.error });
  });

/** The org's redaction policy (GET/PUT /api/admin/redaction-policy). */
export const RedactionPolicyInput = z
  .object({
    entities: z.object(Object.fromEntries(REDACTION_ENTITIES.map((e) => [e, z.boolean()])) as Record<(typeof REDACTION_ENTITIES)[number], z.ZodBoolean>).strict(),
    orgPatterns: z.array(OrgPatternInput).max(MAX_ORG_PATTERNS),
  })
  .strict();
