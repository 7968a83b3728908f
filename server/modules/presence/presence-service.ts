import type { RosterEntry } from '../../../shared/api/http';
import type { Presence, User } from '../../../shared/domain/roles';
import { AuditAction } from '../audit/actions';
import type { AuditLog } from '../audit/audit-log';

interface PresenceState {
  user: User;
  presence: Presence;
  since: Date;
  connections: number;
  graceTimer?: NodeJS.Timeout;
}

export type PresenceReason = 'chosen' | 'connected' | 'disconnected' | 'signed_out';

/**
 * Who is available, busy, away or offline. The user chooses the first three; the server sets
 * offline when the last connection has been gone for the grace period (a reconnect inside it keeps
 * the state), or at once on sign-out. Every change is audited and announced to listeners.
 * In memory: one backend process owns its connections; scale-out moves this behind Redis.
 */
export class PresenceService {
  private readonly states = new Map<string, PresenceState>();
  private readonly listeners = new Set<(entry: RosterEntry) => void>();

  constructor(
    private readonly deps: { audit: AuditLog; graceMs: number; now?: () => Date },
  ) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** Puts users on the roster as offline, so supervisors see agents who have not signed in yet. */
  seed(users: User[]): void {
    for (const user of users) if (!this.states.has(user.id)) this.states.set(user.id, { user, presence: 'offline', since: this.now(), connections: 0 });
  }

  onChange(listener: (entry: RosterEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Agents only: the list supervisors watch, by username. */
  roster(): RosterEntry[] {
    return [...this.states.values()]
      .filter((s) => s.user.role === 'agent')
      .map(toEntry)
      .sort((a, b) => a.username.localeCompare(b.username));
  }

  /** Each agent, in no particular order and without building roster entries: for work that runs on every change. */
  forEachAgent(visit: (userId: string, presence: Presence, since: Date) => void): void {
    for (const state of this.states.values()) if (state.user.role === 'agent') visit(state.user.id, state.presence, state.since);
  }

  get(userId: string): RosterEntry | undefined {
    const state = this.states.get(userId);
    return state && toEntry(state);
  }

  /** A connection authenticated. A user who was offline becomes available; one inside the grace period keeps their state. */
  async connected(user: User): Promise<RosterEntry> {
    const state = this.states.get(user.id) ?? { user, presence: 'offline' as Presence, since: this.now(), connections: 0 };
    this.states.set(user.id, state);
    state.user = user;
    state.connections += 1;
    if (state.graceTimer) {
      clearTimeout(state.graceTimer);
      delete state.graceTimer;
    }
    if (state.presence === 'offline') await this.change(state, 'available', 'connected', user);
    return toEntry(state);
  }

  /** A connection closed. The last one starts the grace period, or ends presence at once on sign-out. */
  disconnected(userId: string, opts: { immediate: boolean }): void {
    const state = this.states.get(userId);
    if (!state) return;
    state.connections = Math.max(0, state.connections - 1);
    if (state.connections > 0 || state.presence === 'offline') return;
    const reason: PresenceReason = opts.immediate ? 'signed_out' : 'disconnected';
    const goOffline = () => {
      delete state.graceTimer;
      if (state.connections === 0 && state.presence !== 'offline') void this.change(state, 'offline', reason, null).catch(() => undefined);
    };
    if (state.graceTimer) clearTimeout(state.graceTimer);
    if (opts.immediate || this.deps.graceMs === 0) goOffline();
    else state.graceTimer = setTimeout(goOffline, this.deps.graceMs);
  }

  /**
   * The user signed out. With no connection left, offline is immediate, also when the client
   * closed its socket just before signing out and the grace period is already running.
   */
  signedOut(userId: string): void {
    const state = this.states.get(userId);
    if (!state || state.connections > 0 || state.presence === 'offline') return;
    if (state.graceTimer) clearTimeout(state.graceTimer);
    delete state.graceTimer;
    void this.change(state, 'offline', 'signed_out', null).catch(() => undefined);
  }

  /** The user picked a presence. Setting the same value again changes nothing and audits nothing. */
  async choose(user: User, presence: Exclude<Presence, 'offline'>): Promise<RosterEntry> {
    const state = this.states.get(user.id);
    if (!state || state.connections === 0) throw new Error('presence can only be chosen while connected');
    if (state.presence !== presence) await this.change(state, presence, 'chosen', user);
    return toEntry(state);
  }

  /** Stops grace timers (server shutdown). */
  stop(): void {
    for (const state of this.states.values()) if (state.graceTimer) clearTimeout(state.graceTimer);
  }

  private async change(state: PresenceState, presence: Presence, reason: PresenceReason, actor: User | null): Promise<void> {
    const from = state.presence;
    state.presence = presence;
    state.since = this.now();
    const entry = toEntry(state);
    for (const listener of this.listeners) listener(entry);
    await this.deps.audit.append({
      actor: actor ? { id: actor.id, username: actor.username } : null,
      action: AuditAction.presenceChanged,
      target: state.user.username,
      details: { from, to: presence, reason },
    });
  }
}

function toEntry(state: PresenceState): RosterEntry {
  return {
    userId: state.user.id,
    username: state.user.username,
    displayName: state.user.displayName,
    role: state.user.role,
    presence: state.presence,
    since: state.since.toISOString(),
  };
}
