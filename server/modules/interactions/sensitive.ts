import type { SensitiveCategory, SensitiveMark } from '../../../shared/domain/sensitive';
import type { User } from '../../../shared/domain/roles';
import { DomainError } from '../../kernel/errors';
import { AuditAction } from '../audit/actions';
import type { AuditLog } from '../audit/audit-log';
import type { UsersRepo } from '../users/users-repo';
import type { InteractionRow, InteractionsRepo } from './repo';
import { SENSITIVE_REFUSAL } from './not-theirs';

/** What of a sensitive interaction an allowed user read (audited as `interaction.sensitive_read`); `live_audio`: listened in (live monitoring). */
export type SensitiveReadKind = 'transcript' | 'sync_bundle' | 'recording_metadata' | 'recording_audio' | 'live_audio';

/**
 * Sensitive personal data (issue 15, privacy principle 4). An interaction marked sensitive is open
 * only to the agent(s) who handled it, supervisors holding the `sensitive` permission and admins;
 * every read of its transcript or recording by them is audited. One place decides, so history,
 * recordings and sync cannot disagree.
 */
export class SensitiveAccess {
  constructor(private readonly deps: { repo: InteractionsRepo; users: UsersRepo; audit: AuditLog }) {}

  /** Whether a supervisor (or anyone) holds the `sensitive` permission. */
  async holdsPermission(user: Pick<User, 'id'>): Promise<boolean> {
    return (await this.deps.users.permissions(user.id)).includes('sensitive');
  }

  /** Supervisors without the permission do not see sensitive interactions at all (lists, sync). */
  async hidesSensitiveFrom(user: Pick<User, 'id' | 'role'>): Promise<boolean> {
    return user.role === 'supervisor' && !(await this.holdsPermission(user));
  }

  /**
   * Whether the user may read this interaction as far as its mark goes (agents' own-interaction rule
   * is checked by the caller as before; for a sensitive one it is checked here too).
   */
  async maySee(user: Pick<User, 'id' | 'role'>, row: Pick<InteractionRow, 'id' | 'sensitive_category'>): Promise<boolean> {
    if (row.sensitive_category === null) return true;
    if (user.role === 'admin') return true;
    if (user.role === 'supervisor') return this.holdsPermission(user);
    return this.deps.repo.involves(row.id, user.id);
  }

  /** 403, as history answers for another agent's interaction, when the mark keeps this user out. */
  async assertMaySee(user: Pick<User, 'id' | 'role'>, row: Pick<InteractionRow, 'id' | 'sensitive_category'>): Promise<void> {
    if (!(await this.maySee(user, row))) {
      throw new DomainError('forbidden', SENSITIVE_REFUSAL);
    }
  }

  /** Audits a read of a sensitive interaction's transcript or recording (ids only); nothing for an unmarked one. */
  async auditRead(user: Pick<User, 'id' | 'username'>, row: Pick<InteractionRow, 'id' | 'sensitive_category'>, what: SensitiveReadKind, extra: { recordingId?: string } = {}): Promise<void> {
    if (row.sensitive_category === null) return;
    await this.deps.audit.append({
      actor: { id: user.id, username: user.username },
      action: AuditAction.interactionSensitiveRead,
      target: row.id,
      details: { interactionId: row.id, what, ...extra },
    });
  }

  /**
   * Marks (or with null unmarks) an interaction. Marking: its handling agent(s), any supervisor, admins;
   * changing or removing a mark: whoever may see it, removing only supervisors with the permission and admins.
   */
  async mark(user: Pick<User, 'id' | 'username' | 'role'>, interactionId: string, category: SensitiveCategory | null): Promise<SensitiveMark | null> {
    const row = interactionId.length <= 64 ? await this.deps.repo.get(interactionId) : undefined;
    if (!row) throw new DomainError('not_found', `No interaction ${interactionId.slice(0, 64)}.`);
    if (user.role === 'agent' && !(await this.deps.repo.involves(row.id, user.id))) {
      // Kept 403 (test/integration/sensitive.test.ts): marking is the sensitive-data rule's own route.
      throw new DomainError('forbidden', 'Agents may mark only interactions they handled.');
    }
    await this.assertMaySee(user, row);
    const previous = row.sensitive_category;
    if (category === null) {
      if (user.role === 'agent' || (user.role === 'supervisor' && !(await this.holdsPermission(user)))) {
        throw new DomainError('forbidden', 'Only supervisors with the sensitive permission and admins may remove a sensitive mark.');
      }
      if (previous === null) return null;
      await this.deps.repo.update(row.id, { sensitive_category: null, sensitive_marked_at: null, sensitive_marked_by: null });
      await this.deps.audit.append({
        actor: { id: user.id, username: user.username },
        action: AuditAction.interactionUnmarkedSensitive,
        target: row.id,
        details: { interactionId: row.id, previous },
      });
      return null;
    }
    const markedAt = new Date().toISOString();
    await this.deps.repo.update(row.id, { sensitive_category: category, sensitive_marked_at: markedAt, sensitive_marked_by: user.id });
    await this.deps.audit.append({
      actor: { id: user.id, username: user.username },
      action: AuditAction.interactionMarkedSensitive,
      target: row.id,
      details: { interactionId: row.id, category, ...(previous !== null ? { previous } : {}) },
    });
    return { category, markedAt, markedBy: user.id };
  }
}
