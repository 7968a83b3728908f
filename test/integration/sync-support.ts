import { expect } from 'vitest';
import {
  SyncHeadResponse,
  SyncInteractionResponse,
  SyncPullResponse,
  SyncPushResponse,
  type SyncChange,
  type SyncMutationInput,
  type SyncMutationResult,
} from '../../shared/api/sync';
import { api } from './helpers';

/** Shared by the sync*.test.ts files: validated calls to /api/sync/*. */

export async function push(url: string, token: string, mutations: SyncMutationInput[]): Promise<SyncMutationResult[]> {
  const res = await api(url, '/api/sync/push', { token, json: { mutations } });
  if (res.status !== 200) throw new Error(`push → ${res.status} ${JSON.stringify(res.body)}`);
  return SyncPushResponse.parse(res.body).results;
}

export async function pushOne(url: string, token: string, mutation: SyncMutationInput): Promise<SyncMutationResult> {
  const [result] = await push(url, token, [mutation]);
  return result!;
}

export async function pullPage(url: string, token: string, after: string, limit = 500): Promise<SyncPullResponse> {
  const res = await api(url, `/api/sync/pull?after=${after}&limit=${limit}`, { token });
  if (res.status !== 200) throw new Error(`pull → ${res.status} ${JSON.stringify(res.body)}`);
  return SyncPullResponse.parse(res.body);
}

/** Pulls until hasMore is false; checks cursors only grow and `remaining` reaches 0 at the end. */
export async function pullAll(url: string, token: string, after = '0', limit = 500): Promise<{ changes: SyncChange[]; cursor: string; pages: number }> {
  const changes: SyncChange[] = [];
  let cursor = after;
  let pages = 0;
  for (;;) {
    const page = await pullPage(url, token, cursor, limit);
    pages += 1;
    expect(Number(page.cursor)).toBeGreaterThanOrEqual(Number(cursor));
    expect(page.changes.length).toBeLessThanOrEqual(limit);
    changes.push(...page.changes);
    cursor = page.cursor;
    if (!page.hasMore) {
      expect(page.remaining).toBe(0);
      return { changes, cursor, pages };
    }
    expect(page.remaining).toBeGreaterThan(0);
  }
}

export async function head(url: string, token: string, limit = 200): Promise<SyncHeadResponse> {
  const res = await api(url, `/api/sync/head?limit=${limit}`, { token });
  if (res.status !== 200) throw new Error(`head → ${res.status} ${JSON.stringify(res.body)}`);
  return SyncHeadResponse.parse(res.body);
}

export async function interactionBundle(url: string, token: string, id: string): Promise<{ status: number; body: SyncInteractionResponse | { error: { code: string } } }> {
  const res = await api(url, `/api/sync/interactions/${id}`, { token });
  return { status: res.status, body: res.status === 200 ? SyncInteractionResponse.parse(res.body) : res.body };
}

/** What a client ends up holding after applying the changes in order (newest version wins; tombstones remove). */
export function applyChanges(changes: readonly SyncChange[], into = new Map<string, SyncChange>()): Map<string, SyncChange> {
  for (const c of changes) {
    const key = `${c.kind}:${c.id}`;
    const current = into.get(key);
    if (current && current.version > c.version) continue;
    into.set(key, c);
  }
  return into;
}

/** The live (not tombstoned) entities of a kind in a local copy. */
export function live<K extends SyncChange['kind']>(local: Map<string, SyncChange>, kind: K): Extract<SyncChange, { kind: K; op: 'upsert' }>[] {
  return [...local.values()].filter((c): c is Extract<SyncChange, { kind: K; op: 'upsert' }> => c.kind === kind && c.op === 'upsert');
}

let counter = 0;
/** A fresh mutation id (UUID-like, unique within the run). */
export function mutationId(label = 'm'): string {
  counter += 1;
  return `${label}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}
