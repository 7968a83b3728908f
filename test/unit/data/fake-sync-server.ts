import {
  type SyncChange,
  type SyncHeadResponse,
  type SyncMutation,
  type SyncMutationResult,
  type SyncPullResponse,
  type SyncPushResponse,
  type SyncUpsert,
} from '../../../shared';
import { type SyncTransport } from '../../../renderer/data/sync/transport';
import { ApiError } from '../../../renderer/net/api-client';

/**
 * An in-memory server with the sync contract's rules (docs/sync.md): one change-log row per entity,
 * moved to a new position on every change; version = that position; pushes applied once per
 * mutationId; a note edit on a stale base loses and is kept as a conflict copy.
 */
export class FakeSyncServer implements SyncTransport {
  private seq = 0;
  private log = new Map<string, { seq: number; change: SyncChange }>();
  private answered = new Map<string, SyncMutationResult>();
  readonly calls: string[] = [];
  /** Mutations applied (not duplicates), in order. */
  readonly applied: string[] = [];
  /** Throw a network error on the pull after this cursor (once). */
  failPullAfter: string | null = null;
  /** Apply the next push, then lose the response (the client sees a network error). */
  loseNextPushResponse = false;
  /** Every call fails as if the network were down. */
  offline = false;

  private reach(): void {
    if (this.offline) throw new ApiError('network', 'Cannot reach the server.', 0);
  }

  upsert(change: Omit<SyncUpsert, 'version'>): SyncChange {
    const seq = ++this.seq;
    const full = { ...change, version: seq } as SyncChange;
    this.log.set(`${change.kind}:${change.id}`, { seq, change: full });
    return full;
  }

  tombstone(kind: SyncChange['kind'], id: string, interactionId: string | null, reason: 'deleted' | 'erased' = 'erased'): void {
    const seq = ++this.seq;
    this.log.set(`${kind}:${id}`, { seq, change: { kind, id, interactionId, version: seq, op: 'tombstone', reason } });
  }

  get(kind: string, id: string): SyncChange | undefined {
    return this.log.get(`${kind}:${id}`)?.change;
  }

  entities(kind: string): SyncChange[] {
    return [...this.log.values()].map((e) => e.change).filter((c) => c.kind === kind && c.op === 'upsert');
  }

  async head(limit: number): Promise<SyncHeadResponse> {
    this.calls.push(`head ${limit}`);
    this.reach();
    const upserts = [...this.log.values()].map((e) => e.change).filter((c): c is SyncUpsert => c.op === 'upsert');
    const newest = upserts
      .filter((c) => c.kind === 'interaction')
      .sort((a, b) => ((b.data as { createdAt: string }).createdAt).localeCompare((a.data as { createdAt: string }).createdAt))
      .slice(0, limit);
    const ids = new Set(newest.map((c) => c.id));
    const related = upserts.filter((c) => (c.kind === 'contact' || c.kind === 'note' || c.kind === 'wrapup') && c.interactionId !== null && ids.has(c.interactionId));
    const global = upserts.filter((c) => c.kind === 'queue' || c.kind === 'setting');
    return { changes: [...newest, ...related, ...global], totalInteractions: upserts.filter((c) => c.kind === 'interaction').length, totalChanges: this.log.size };
  }

  async pull(after: string, limit: number): Promise<SyncPullResponse> {
    this.calls.push(`pull ${after}`);
    this.reach();
    if (this.failPullAfter === after) {
      this.failPullAfter = null;
      throw new Error('network down');
    }
    const rows = [...this.log.values()].filter((e) => e.seq > Number(after)).sort((a, b) => a.seq - b.seq);
    const page = rows.slice(0, limit);
    const cursor = page.length ? String(page[page.length - 1]!.seq) : after;
    return { changes: page.map((e) => e.change), cursor, hasMore: rows.length > limit, remaining: rows.length - page.length };
  }

  async interaction(id: string) {
    this.calls.push(`interaction ${id}`);
    this.reach();
    const changes = [...this.log.values()].map((e) => e.change).filter((c): c is SyncUpsert => c.op === 'upsert' && (c.id === id || c.interactionId === id));
    return { changes };
  }

  async push(mutations: SyncMutation[]): Promise<SyncPushResponse> {
    this.calls.push(`push ${mutations.length}`);
    this.reach();
    const results = mutations.map((m) => this.applyOnce(m));
    if (this.loseNextPushResponse) {
      this.loseNextPushResponse = false;
      throw new Error('connection reset');
    }
    return { results };
  }

  private applyOnce(m: SyncMutation): SyncMutationResult {
    const seen = this.answered.get(m.mutationId);
    if (seen) return { ...seen, status: 'duplicate', original: seen.status as 'applied' | 'conflict' | 'rejected' };
    const result = this.apply(m);
    this.answered.set(m.mutationId, result);
    if (result.status !== 'rejected') this.applied.push(m.mutationId);
    return result;
  }

  private apply(m: SyncMutation): SyncMutationResult {
    const at = '2026-11-29T00:00:00.000Z';
    switch (m.type) {
      case 'note.create': {
        if (!this.get('interaction', m.interactionId)) return { mutationId: m.mutationId, status: 'rejected', changes: [], error: { code: 'not_found', message: 'Interaction not found.' } };
        const change = this.upsert({
          kind: 'note', id: m.noteId, interactionId: m.interactionId, op: 'upsert',
          data: { id: m.noteId, interactionId: m.interactionId, authorId: 'u1', authorName: 'Agent One', text: m.text, createdAt: at, updatedAt: at, conflict: null },
        });
        return { mutationId: m.mutationId, status: 'applied', changes: [change] };
      }
      case 'note.edit': {
        const current = this.get('note', m.noteId);
        if (!current || current.op !== 'upsert' || current.kind !== 'note') return { mutationId: m.mutationId, status: 'rejected', changes: [], error: { code: 'not_found', message: 'Note not found.' } };
        if (m.baseVersion !== 0 && m.baseVersion < current.version) {
          const copyId = `${m.noteId}-copy-${m.mutationId}`;
          const kept = this.upsert({
            kind: 'note', id: copyId, interactionId: current.interactionId, op: 'upsert',
            data: { ...current.data, id: copyId, text: m.text, conflict: { reason: 'concurrent_edit', of: m.noteId } },
          });
          return { mutationId: m.mutationId, status: 'conflict', resolution: 'concurrent_edit', changes: [current], kept };
        }
        const change = this.upsert({ kind: 'note', id: m.noteId, interactionId: current.interactionId, op: 'upsert', data: { ...current.data, text: m.text, updatedAt: at } });
        return { mutationId: m.mutationId, status: 'applied', changes: [change] };
      }
      case 'note.delete': {
        const current = this.get('note', m.noteId);
        this.tombstone('note', m.noteId, current?.interactionId ?? null, 'deleted');
        return { mutationId: m.mutationId, status: 'applied', changes: [this.get('note', m.noteId)!] };
      }
      case 'wrapup.submit': {
        const change = this.upsert({
          kind: 'wrapup', id: m.interactionId, interactionId: m.interactionId, op: 'upsert',
          data: { interactionId: m.interactionId, disposition: m.disposition, notes: m.notes, submittedAt: at, by: 'agent1', timedOut: false, late: false },
        });
        return { mutationId: m.mutationId, status: 'applied', changes: [change] };
      }
    }
  }

  /** An interaction with its contact and `messages` messages, created `daysAgo` days before `now`. */
  seedInteraction(id: string, opts: { daysAgo?: number; messages?: number; name?: string; now?: number } = {}): void {
    const createdAt = new Date((opts.now ?? Date.parse('2026-11-29T00:00:00Z')) - (opts.daysAgo ?? 0) * 86_400_000).toISOString();
    this.upsert({
      kind: 'interaction', id, interactionId: id, op: 'upsert',
      data: { id, kind: 'chat', status: 'closed', queueId: 'general', queueName: 'General', contactId: id, agentId: 'u1', agentName: 'Agent One', createdAt, answeredAt: createdAt, endedAt: createdAt, disposition: 'Resolved' },
    });
    this.upsert({ kind: 'contact', id, interactionId: id, op: 'upsert', data: { id, name: opts.name ?? `Customer ${id}`, email: `${id}@example.com` } });
    for (let seq = 1; seq <= (opts.messages ?? 0); seq++) {
      const mid = `${id}-m${seq}`;
      this.upsert({ kind: 'message', id: mid, interactionId: id, op: 'upsert', data: { id: mid, interactionId: id, seq, from: seq % 2 ? 'customer' : 'agent', authorName: seq % 2 ? (opts.name ?? 'Customer') : 'Agent One', text: `message ${seq} of ${id}`, at: createdAt } });
    }
  }
}
