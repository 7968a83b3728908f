import { randomUUID } from 'node:crypto';
import type { AcceptPrivacyNoticeResponse, AdminPrivacyNotice, MyPrivacyNoticeResponse, PrivacyNotice, PublishPrivacyNoticeRequest } from '../../../shared/api/privacy-notice';
import type { User } from '../../../shared/domain/roles';
import type { Db } from '../../db/database';
import type { PrivacyNoticesTable } from '../../db/schema';
import { DomainError } from '../../kernel/errors';
import { AuditAction } from '../audit/actions';
import type { AuditLog } from '../audit/audit-log';
import { NoticesStore, toNotice } from './notices-store';

type Staff = Pick<User, 'id' | 'username'>;

/** Whether `a` is the same version as `b` or a later one (by effective date, then number). */
const atOrAfter = (a: PrivacyNoticesTable, b: PrivacyNoticesTable): boolean => a.effective_at > b.effective_at || (a.effective_at === b.effective_at && a.version >= b.version);

/**
 * Privacy notice versions (issue 16): admins publish (audited, never changed afterwards); staff
 * accept the current version once (idempotent, audited, never changed by them). A user must have
 * accepted the latest material version in force, or a later one, before they work
 * (`assertAccepted`, used by the WebSocket hello). Audit entries carry ids, versions and dates,
 * never the notice's text.
 */
export class PrivacyNoticeService {
  readonly store: NoticesStore;
  /** Called after a publish, e.g. so the consent settings' notice version follows. */
  onPublished: (notice: PrivacyNotice) => Promise<void> = async () => undefined;

  constructor(private readonly deps: { db: Db; audit: AuditLog; now: () => Date }) {
    this.store = new NoticesStore(deps.db);
  }

  async publish(input: PublishPrivacyNoticeRequest, admin: Staff): Promise<PrivacyNotice> {
    const row = await this.store.insert(input, admin.id, this.deps.now());
    const notice = toNotice(row);
    await this.deps.audit.append({
      actor: admin,
      action: AuditAction.privacyNoticePublished,
      target: notice.id,
      details: { noticeId: notice.id, version: notice.version, effectiveAt: notice.effectiveAt, material: notice.material },
    });
    await this.onPublished(notice);
    return notice;
  }

  async current(): Promise<PrivacyNotice | null> {
    const row = await this.store.current(this.deps.now());
    return row ? toNotice(row) : null;
  }

  /** The version number the widget shows and consent records name, or null before any is in force. */
  async currentVersion(): Promise<string | null> {
    return (await this.current())?.version ?? null;
  }

  async listForAdmin(): Promise<AdminPrivacyNotice[]> {
    const rows = await this.store.all();
    const current = await this.store.current(this.deps.now());
    const acceptances = await this.deps.db.kysely
      .selectFrom('policy_acceptances as a')
      .leftJoin('users as u', 'u.id', 'a.user_id')
      .select(['a.notice_id', 'a.user_id', 'a.accepted_at', 'u.username', 'u.display_name'])
      .orderBy('a.accepted_at')
      .execute();
    return rows.map((row) => ({
      ...toNotice(row),
      publishedBy: row.published_by,
      current: row.id === current?.id,
      acceptances: acceptances
        .filter((a) => a.notice_id === row.id)
        .map((a) => ({ userId: a.user_id, username: a.username ?? 'former user', displayName: a.display_name ?? 'former user', acceptedAt: a.accepted_at })),
    }));
  }

  async statusFor(userId: string): Promise<MyPrivacyNoticeResponse> {
    const now = this.deps.now();
    const current = await this.store.current(now);
    if (!current) return { current: null, mustAccept: false, updated: null, acceptedAt: null };
    const material = await this.store.latestMaterial(now);
    const accepted = await this.deps.db.kysely
      .selectFrom('policy_acceptances as a')
      .innerJoin('privacy_notices as n', 'n.id', 'a.notice_id')
      .selectAll('n')
      .select('a.accepted_at')
      .where('a.user_id', '=', userId)
      .execute();
    const ofCurrent = accepted.find((a) => a.id === current.id);
    const mustAccept = material !== undefined && !accepted.some((a) => a.effective_at <= now.toISOString() && atOrAfter(a, material));
    const updated = !mustAccept && !ofCurrent ? { noticeId: current.id, effectiveAt: current.effective_at } : null;
    return { current: toNotice(current), mustAccept, updated, acceptedAt: ofCurrent?.accepted_at ?? null };
  }

  /** Only the current version; a second acceptance returns the first one's time and is not audited again. */
  async accept(user: Staff, noticeId: string): Promise<AcceptPrivacyNoticeResponse> {
    const current = await this.store.current(this.deps.now());
    if (!current) throw new DomainError('not_found', 'No privacy notice is in force yet; there is nothing to accept.');
    if (current.id !== noticeId) {
      throw new DomainError('conflict', `Only the current privacy notice (version ${current.version}) can be accepted. Reload it (GET /api/privacy-notice/mine) and accept that one.`);
    }
    const at = this.deps.now().toISOString();
    const result = await this.deps.db.kysely
      .insertInto('policy_acceptances')
      .values({ id: randomUUID(), user_id: user.id, notice_id: current.id, accepted_at: at })
      .onConflict((oc) => oc.columns(['user_id', 'notice_id']).doNothing())
      .executeTakeFirst();
    const row = await this.deps.db.kysely.selectFrom('policy_acceptances').selectAll().where('user_id', '=', user.id).where('notice_id', '=', current.id).executeTakeFirstOrThrow();
    if (Number(result.numInsertedOrUpdatedRows ?? 0n) > 0) {
      await this.deps.audit.append({
        actor: user,
        action: AuditAction.privacyNoticeAccepted,
        target: current.id,
        details: { noticeId: current.id, version: String(current.version), material: Number(current.material) === 1 },
      });
    }
    return { noticeId: current.id, version: String(current.version), acceptedAt: row.accepted_at };
  }

  /** Refuses staff who have not accepted the latest material version in force. */
  async assertAccepted(userId: string): Promise<void> {
    const status = await this.statusFor(userId);
    if (status.mustAccept) {
      throw new DomainError(
        'policy_not_accepted',
        `Read and accept the privacy notice (version ${status.current?.version ?? '?'}) before you work: sign in again in the app, or POST /api/privacy-notice/accept.`,
      );
    }
  }
}
