import { randomUUID } from 'node:crypto';
import type { AvailableShare, OwnShare, ShareEndReason, SharePerson } from '../../../shared/api/ws-shares';
import type { User } from '../../../shared/domain/roles';
import { DomainError } from '../../kernel/errors';
import { AuditAction } from '../audit/actions';
import type { Share, ShareEndpoint, ShareRegistryDeps, ShareStartInput, ShareUpdateInput, Timers, Watcher } from './share-types';
import { actor, availableView, checkGeometry, ownView, person, resolveViewers, sameRect, sameRects } from './share-views';

const REFUSED_MESSAGE = 'You are not on the viewer list of this share, or it has ended. Ask the sharer to add you.';

/**
 * Every live screen share, in memory (one backend process owns its connections; scale-out moves
 * this behind Redis like presence). The registry is the enforcement point of "the server enforces
 * who": it relays signaling for a share only between the sharer's connection and the connection a
 * listed viewer joined from, refuses everyone else, and audits every privacy-relevant step.
 */
export class ShareRegistry {
  private readonly shares = new Map<string, Share>();
  private readonly bySharer = new Map<string, string>();
  private readonly refusalsAudited = new Map<string, number>();
  private readonly timers: Timers;

  constructor(private readonly deps: ShareRegistryDeps) {
    this.timers = deps.timers ?? { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as NodeJS.Timeout) };
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  // ---- sharer ----

  async start(sharer: User, endpoint: ShareEndpoint, input: ShareStartInput, ref?: string): Promise<OwnShare> {
    const staff = await this.deps.directory.staff();
    const existingId = this.bySharer.get(sharer.id);
    const existing = existingId ? this.shares.get(existingId) : undefined;
    if (existing?.endpoint?.isOpen()) throw new DomainError('conflict', 'You are already sharing your screen. Stop that share before starting another.');
    checkGeometry(input.source, input.region, input.masks);
    const viewers = resolveViewers(sharer, input.viewers, staff);
    const pending: Promise<unknown>[] = [];
    // The old share lost its window (e.g. a reload): it cannot come back, so it ends now.
    if (existing) pending.push(this.end(existing, 'stopped'));

    const share: Share = {
      id: this.deps.newId?.() ?? randomUUID(),
      sharer,
      sessionId: endpoint.sessionId,
      endpoint,
      startedAt: this.now(),
      source: input.source,
      region: input.region,
      masks: input.masks,
      blanked: false,
      viewers: new Map(viewers.map((v) => [v.id, v])),
      watchers: new Map(),
    };
    this.shares.set(share.id, share);
    this.bySharer.set(sharer.id, share.id);
    const own = this.sendState(share, ref);
    this.announce(viewers.map((v) => v.id));

    pending.push(
      this.deps.audit.append({
        actor: actor(sharer),
        action: AuditAction.shareStarted,
        target: share.id,
        details: { source: input.source, region: input.region, masks: input.masks, viewers: viewers.map((v) => v.username) },
      }),
    );
    for (const v of viewers) pending.push(this.auditViewer(share, AuditAction.shareViewerAdded, v));
    await Promise.all(pending);
    return own;
  }

  async update(sharer: User, endpoint: ShareEndpoint, shareId: string, input: ShareUpdateInput, ref?: string): Promise<void> {
    const share = this.ownShare(sharer, endpoint, shareId);
    const region = input.region ?? share.region;
    const masks = input.masks ?? share.masks;
    checkGeometry(share.source, region, masks);
    const pending: Promise<unknown>[] = [];
    const base = { actor: actor(sharer), target: share.id };
    if (input.region && !sameRect(input.region, share.region)) {
      share.region = input.region;
      pending.push(this.deps.audit.append({ ...base, action: AuditAction.shareRegionChanged, details: { region: input.region } }));
    }
    if (input.masks && !sameRects(input.masks, share.masks)) {
      share.masks = input.masks;
      pending.push(this.deps.audit.append({ ...base, action: AuditAction.shareMasksChanged, details: { masks: input.masks } }));
    }
    if (input.blanked !== undefined && input.blanked !== share.blanked) {
      share.blanked = input.blanked;
      this.announce([...share.viewers.keys()]);
      pending.push(this.deps.audit.append({ ...base, action: AuditAction.shareBlanked, details: { blanked: input.blanked } }));
    }
    this.sendState(share, ref);
    await Promise.all(pending);
  }

  /** Replaces who may watch: the added are told the share exists, the removed lose it at once. */
  async setViewers(sharer: User, endpoint: ShareEndpoint, shareId: string, viewerIds: string[], ref?: string): Promise<void> {
    const staff = await this.deps.directory.staff();
    const share = this.ownShare(sharer, endpoint, shareId);
    const wanted = resolveViewers(sharer, viewerIds, staff);
    const wantedIds = new Set(wanted.map((v) => v.id));
    const pending: Promise<unknown>[] = [];
    const affected: string[] = [];
    for (const [id, viewer] of [...share.viewers]) {
      if (wantedIds.has(id)) continue;
      pending.push(this.removeViewer(share, viewer));
      affected.push(id);
    }
    for (const viewer of wanted) {
      if (share.viewers.has(viewer.id)) continue;
      share.viewers.set(viewer.id, viewer);
      affected.push(viewer.id);
      pending.push(this.auditViewer(share, AuditAction.shareViewerAdded, viewer));
    }
    this.sendState(share, ref);
    this.announce(affected);
    await Promise.all(pending);
  }

  async revoke(sharer: User, endpoint: ShareEndpoint, shareId: string, userId: string, ref?: string): Promise<void> {
    const share = this.ownShare(sharer, endpoint, shareId);
    const viewer = share.viewers.get(userId);
    if (!viewer) throw new DomainError('not_found', 'That person is not a viewer of your share.');
    const done = this.removeViewer(share, viewer);
    this.sendState(share, ref);
    this.announce([userId]);
    await done;
  }

  async stop(sharer: User, endpoint: ShareEndpoint, shareId: string, ref?: string): Promise<void> {
    const share = this.ownShare(sharer, endpoint, shareId);
    await this.end(share, 'stopped', ref);
  }

  /** The sharer's window reconnected and still holds the capture: it becomes the share's connection again. */
  resume(sharer: User, endpoint: ShareEndpoint, shareId: string, ref?: string): void {
    const share = this.shares.get(shareId);
    if (!share || share.sharer.id !== sharer.id || share.sessionId !== endpoint.sessionId) {
      endpoint.send({ type: 'share.state', share: null, ...(ref ? { ref } : {}) });
      throw new DomainError('not_found', 'That share has ended. Start a new one.');
    }
    if (share.graceTimer !== undefined) this.timers.clear(share.graceTimer);
    delete share.graceTimer;
    share.endpoint = endpoint;
    this.sendState(share, ref);
  }

  // ---- viewers ----

  async join(viewer: User, endpoint: ShareEndpoint, shareId: string, ref?: string): Promise<void> {
    const share = this.shares.get(shareId);
    if (!share || !share.viewers.has(viewer.id)) {
      await this.refuse(viewer, shareId, 'share.join', share ? 'not_viewer' : 'unknown_share');
      throw new DomainError('forbidden', REFUSED_MESSAGE);
    }
    if (!share.endpoint?.isOpen()) throw new DomainError('conflict', `${share.sharer.displayName} is reconnecting. Try again in a moment.`);
    const pending: Promise<unknown>[] = [];
    const previous = share.watchers.get(viewer.id);
    if (previous && previous.endpoint !== endpoint) {
      // The same person from another window: one picture per person, the newest window wins.
      previous.endpoint.send({ type: 'share.ended', shareId, reason: 'replaced' });
      this.deps.media?.watcherGone(shareId, viewer.id, 'replaced', previous.endpoint);
      share.endpoint.send({ type: 'share.viewer.left', shareId, userId: viewer.id, reason: 'replaced' });
    }
    share.watchers.set(viewer.id, { user: viewer, endpoint, since: this.now() });
    endpoint.send({ type: 'share.watching', share: availableView(share, viewer.id), ...(ref ? { ref } : {}) });
    share.endpoint.send({ type: 'share.viewer.joined', shareId, viewer: person(viewer) });
    this.sendState(share);
    this.announce([viewer.id]);
    if (previous?.endpoint !== endpoint) {
      pending.push(this.deps.audit.append({ actor: actor(viewer), action: AuditAction.shareJoined, target: share.id, details: { sharer: share.sharer.username } }));
    }
    await Promise.all(pending);
  }

  async leave(viewer: User, endpoint: ShareEndpoint, shareId: string): Promise<void> {
    const share = this.shares.get(shareId);
    const watcher = share?.watchers.get(viewer.id);
    endpoint.send({ type: 'share.ended', shareId, reason: 'left' });
    if (!share || !watcher || watcher.endpoint !== endpoint) return;
    await this.dropWatcher(share, watcher, 'left');
  }

  /**
   * Relays one WebRTC signal. The sharer (from the share's connection) may signal a viewer who has
   * joined; a viewer may signal only the sharer, only from the connection they joined from.
   */
  async signal(from: User, endpoint: ShareEndpoint, shareId: string, to: string | undefined, signal: Record<string, unknown>): Promise<void> {
    const share = this.shares.get(shareId);
    if (!share) {
      await this.refuse(from, shareId, 'share.signal', 'unknown_share');
      throw new DomainError('forbidden', REFUSED_MESSAGE);
    }
    if (from.id === share.sharer.id) {
      if (share.endpoint !== endpoint) throw new DomainError('conflict', 'This share is held by another window of yours.');
      const watcher = to ? share.watchers.get(to) : undefined;
      if (!watcher) {
        if (to && share.viewers.has(to)) throw new DomainError('conflict', 'That viewer is not watching right now.');
        await this.refuse(from, shareId, 'share.signal', 'not_viewer_target');
        throw new DomainError('forbidden', 'Signals for this share can only go to viewers on its list who have joined.');
      }
      watcher.endpoint.send({ type: 'share.signal', shareId, from: share.sharer.id, signal });
      return;
    }
    const watcher = share.watchers.get(from.id);
    if (!share.viewers.has(from.id) || !watcher || watcher.endpoint !== endpoint || (to !== undefined && to !== share.sharer.id)) {
      await this.refuse(from, shareId, 'share.signal', share.viewers.has(from.id) ? 'not_joined' : 'not_viewer');
      throw new DomainError('forbidden', share.viewers.has(from.id) ? 'Join the share from this window before signaling.' : REFUSED_MESSAGE);
    }
    if (!share.endpoint?.isOpen()) throw new DomainError('conflict', `${share.sharer.displayName} is reconnecting.`);
    share.endpoint.send({ type: 'share.signal', shareId, from: from.id, signal });
  }

  async candidates(user: User): Promise<SharePerson[]> {
    const staff = await this.deps.directory.staff();
    return staff.filter((u) => u.id !== user.id).map(person);
  }

  // ---- connections ----

  /** After hello: the shares this user may join, and their own share (so its window can resume it). */
  connected(user: User, endpoint: ShareEndpoint): void {
    endpoint.send({ type: 'shares.available', shares: this.availableFor(user.id) });
    const own = this.shareOf(user.id);
    if (own) endpoint.send({ type: 'share.state', share: ownView(own) });
  }

  /** A connection of this user closed (`immediate` after sign-out). */
  disconnected(userId: string, opts: { immediate: boolean }): void {
    for (const share of [...this.shares.values()]) {
      const watcher = share.watchers.get(userId);
      if (watcher && !watcher.endpoint.isOpen()) void this.dropWatcher(share, watcher, 'left', 'disconnected').catch(() => undefined);
      if (share.sharer.id !== userId || !share.endpoint || share.endpoint.isOpen()) continue;
      share.endpoint = null;
      if (opts.immediate || this.deps.graceMs <= 0) {
        void this.end(share, opts.immediate ? 'signed_out' : 'sharer_left').catch(() => undefined);
        continue;
      }
      share.graceTimer = this.timers.set(() => {
        delete share.graceTimer;
        if (this.shares.get(share.id) === share && !share.endpoint) void this.end(share, 'sharer_left').catch(() => undefined);
      }, this.deps.graceMs);
    }
  }

  /** The session was signed out: its share ends now, whatever its connection is doing. */
  async signedOut(userId: string, sessionId: string): Promise<void> {
    const share = this.shareOf(userId);
    if (share && share.sessionId === sessionId) await this.end(share, 'signed_out');
  }

  /** Server shutdown: drops pending grace timers. Shares live in memory and end with the process. */
  dispose(): void {
    for (const share of this.shares.values()) if (share.graceTimer !== undefined) this.timers.clear(share.graceTimer);
  }

  // ---- reading ----

  availableFor(userId: string): AvailableShare[] {
    return [...this.shares.values()]
      .filter((s) => s.viewers.has(userId))
      .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime())
      .map((s) => availableView(s, userId));
  }

  /** The share's sharer and the connection holding its capture (null while reconnecting, or no such share). */
  sharerEndpoint(shareId: string): { sharerId: string; endpoint: ShareEndpoint } | null {
    const share = this.shares.get(shareId);
    return share?.endpoint ? { sharerId: share.sharer.id, endpoint: share.endpoint } : null;
  }

  /** The connection a listed viewer watches this share from; null when they do not watch it now. */
  watcherEndpoint(shareId: string, userId: string): ShareEndpoint | null {
    const share = this.shares.get(shareId);
    if (!share?.viewers.has(userId)) return null;
    return share.watchers.get(userId)?.endpoint ?? null;
  }

  /** A media (SFU) request for this share was refused: audited like a refused signal. */
  async mediaRefused(user: Pick<User, 'id' | 'username'>, shareId: string, messageType: string): Promise<void> {
    const share = this.shares.get(shareId);
    await this.refuse(user, shareId, messageType, !share ? 'unknown_share' : share.viewers.has(user.id) ? 'not_joined' : 'not_viewer');
  }

  shareOf(userId: string): Share | undefined {
    const id = this.bySharer.get(userId);
    return id ? this.shares.get(id) : undefined;
  }

  get size(): number {
    return this.shares.size;
  }

  // ---- internals ----

  private ownShare(sharer: User, endpoint: ShareEndpoint, shareId: string): Share {
    const share = this.shares.get(shareId);
    if (!share || share.sharer.id !== sharer.id) throw new DomainError('not_found', 'You have no share with that id; it may have ended.');
    if (share.endpoint !== endpoint) throw new DomainError('conflict', 'This share is held by another window of yours.');
    return share;
  }

  private sendState(share: Share, ref?: string): OwnShare {
    const own = ownView(share);
    share.endpoint?.send({ type: 'share.state', share: own, ...(ref ? { ref } : {}) });
    return own;
  }

  /** Sends each user their current list of joinable shares. */
  private announce(userIds: Iterable<string>): void {
    for (const id of new Set(userIds)) this.deps.hub.sendTo(id, { type: 'shares.available', shares: this.availableFor(id) });
  }

  private auditViewer(share: Share, action: string, viewer: User): Promise<unknown> {
    return this.deps.audit.append({ actor: actor(share.sharer), action, target: share.id, details: { viewer: viewer.username } });
  }

  /** Takes a viewer off the list; if they are watching, their video ends now. */
  private removeViewer(share: Share, viewer: User): Promise<unknown> {
    share.viewers.delete(viewer.id);
    const watcher = share.watchers.get(viewer.id);
    if (watcher) {
      share.watchers.delete(viewer.id);
      this.deps.media?.watcherGone(share.id, viewer.id, 'revoked');
      watcher.endpoint.send({ type: 'share.ended', shareId: share.id, reason: 'revoked' });
      share.endpoint?.send({ type: 'share.viewer.left', shareId: share.id, userId: viewer.id, reason: 'revoked' });
    }
    return this.deps.audit.append({
      actor: actor(share.sharer),
      action: AuditAction.shareViewerRevoked,
      target: share.id,
      details: { viewer: viewer.username, wasWatching: Boolean(watcher) },
    });
  }

  private async dropWatcher(share: Share, watcher: Watcher, reason: ShareEndReason, cause = 'left'): Promise<void> {
    if (share.watchers.get(watcher.user.id) !== watcher) return;
    share.watchers.delete(watcher.user.id);
    this.deps.media?.watcherGone(share.id, watcher.user.id, reason, watcher.endpoint);
    share.endpoint?.send({ type: 'share.viewer.left', shareId: share.id, userId: watcher.user.id, reason });
    this.sendState(share);
    this.announce([watcher.user.id]);
    await this.deps.audit.append({ actor: actor(watcher.user), action: AuditAction.shareLeft, target: share.id, details: { sharer: share.sharer.username, cause } });
  }

  private async end(share: Share, reason: ShareEndReason, ref?: string): Promise<void> {
    if (this.shares.get(share.id) !== share) return;
    this.shares.delete(share.id);
    if (this.bySharer.get(share.sharer.id) === share.id) this.bySharer.delete(share.sharer.id);
    if (share.graceTimer !== undefined) this.timers.clear(share.graceTimer);
    this.deps.media?.shareEnded(share.id, reason);
    for (const w of share.watchers.values()) w.endpoint.send({ type: 'share.ended', shareId: share.id, reason });
    share.endpoint?.send({ type: 'share.state', share: null, ...(ref ? { ref } : {}) });
    this.announce(share.viewers.keys());
    await this.deps.audit.append({
      actor: actor(share.sharer),
      action: AuditAction.shareStopped,
      target: share.id,
      details: { reason, durationMs: this.now().getTime() - share.startedAt.getTime(), watchers: [...share.watchers.values()].map((w) => w.user.username) },
    });
  }

  /** Audits a refusal, at most once per user, share, message and reason per window (a loop must not flood the log). */
  private async refuse(user: Pick<User, 'id' | 'username'>, shareId: string, messageType: string, reason: string): Promise<void> {
    const key = `${user.id}|${shareId}|${messageType}|${reason}`;
    const at = this.now().getTime();
    const last = this.refusalsAudited.get(key);
    const window = this.deps.refusalAuditWindowMs ?? 60_000;
    if (last !== undefined && at - last < window) return;
    if (this.refusalsAudited.size > 10_000) this.refusalsAudited.clear();
    this.refusalsAudited.set(key, at);
    await this.deps.audit.append({ actor: actor(user), action: AuditAction.shareRefused, target: shareId, details: { message: messageType, reason } });
  }
}
