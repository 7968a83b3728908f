import { describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../../../shared/api/ws';
import type { User } from '../../../../shared/domain/roles';
import { AuditAction } from '../../../../server/modules/audit/actions';
import type { AuditRecord } from '../../../../server/modules/audit/audit-log';
import { ShareRegistry } from '../../../../server/modules/shares/share-registry';
import type { ShareEndpoint } from '../../../../server/modules/shares/share-types';
import { DomainError } from '../../../../server/kernel/errors';

const user = (id: string, role: User['role'] = 'agent'): User => ({ id, username: id, displayName: `${id} name`, role });
const ada = user('ada');
const sam = user('sam', 'supervisor');
const sky = user('sky', 'supervisor');
const ben = user('ben');

interface FakeEndpoint extends ShareEndpoint {
  frames: ServerMessage[];
  open: boolean;
}

function endpoint(sessionId = 's1'): FakeEndpoint {
  const e: FakeEndpoint = {
    frames: [],
    open: true,
    sessionId,
    send: (m) => void e.frames.push(m),
    isOpen: () => e.open,
  };
  return e;
}

function setup(graceMs = 1000) {
  const audit: AuditRecord[] = [];
  const hubFrames: { to: string; message: ServerMessage }[] = [];
  const timers: { fn: () => void; ms: number; cleared: boolean }[] = [];
  let now = 1_700_000_000_000;
  let n = 0;
  const registry = new ShareRegistry({
    audit: { append: async (r) => (audit.push(r), {} as never) },
    hub: { sendTo: (to, message) => void hubFrames.push({ to, message }) },
    directory: { staff: async () => [ada, ben, sam, sky] },
    graceMs,
    now: () => new Date(now),
    newId: () => `share-${++n}`,
    timers: {
      set: (fn, ms) => {
        const t = { fn, ms, cleared: false };
        timers.push(t);
        return t;
      },
      clear: (t) => void ((t as { cleared: boolean }).cleared = true),
    },
  });
  return { registry, audit, hubFrames, timers, advance: (ms: number) => (now += ms) };
}

const source = { kind: 'screen' as const, label: 'Screen 1', width: 1280, height: 720 };
const region = { x: 100, y: 50, width: 800, height: 600 };
const actions = (audit: AuditRecord[]) => audit.map((a) => a.action);
const refusal = (p: Promise<unknown> | (() => unknown)) =>
  (typeof p === 'function' ? Promise.resolve().then(p) : p).then(
    () => null,
    (e: unknown) => (e instanceof DomainError ? e.code : e),
  );

async function started(graceMs?: number) {
  const t = setup(graceMs);
  const sharer = endpoint('ada-session');
  const own = await t.registry.start(ada, sharer, { source, region, masks: [{ x: 200, y: 100, width: 100, height: 50 }], viewers: ['sam'] });
  return { ...t, sharer, shareId: own.shareId };
}

describe('ShareRegistry', () => {
  it('start: answers the sharer with its state, tells chosen viewers, audits start and each viewer', async () => {
    const { sharer, hubFrames, audit, shareId } = await started();
    expect(sharer.frames.at(-1)).toMatchObject({ type: 'share.state', share: { shareId, region, viewers: [{ userId: 'sam' }], watchers: [] } });
    expect(hubFrames).toEqual([{ to: 'sam', message: { type: 'shares.available', shares: [expect.objectContaining({ shareId, sharerName: 'ada name', width: 800, height: 600, watching: false })] } }]);
    expect(actions(audit)).toEqual([AuditAction.shareStarted, AuditAction.shareViewerAdded]);
    expect(audit[0]).toMatchObject({ actor: { id: 'ada' }, target: shareId, details: { region, viewers: ['sam'] } });
  });

  it('refuses regions and masks outside the source, unknown viewers, and oneself as viewer', async () => {
    const { registry } = setup();
    const e = endpoint();
    expect(await refusal(registry.start(ada, e, { source, region: { x: 600, y: 0, width: 800, height: 600 }, masks: [], viewers: [] }))).toBe('bad_request');
    expect(await refusal(registry.start(ada, e, { source, region, masks: [{ x: 1200, y: 0, width: 100, height: 10 }], viewers: [] }))).toBe('bad_request');
    expect(await refusal(registry.start(ada, e, { source, region, masks: [], viewers: ['nobody'] }))).toBe('bad_request');
    expect(await refusal(registry.start(ada, e, { source, region, masks: [], viewers: ['ada'] }))).toBe('bad_request');
    expect(registry.size).toBe(0);
  });

  it('one share per user while its window is connected', async () => {
    const { registry, sharer } = await started();
    expect(await refusal(registry.start(ada, sharer, { source, region, masks: [], viewers: [] }))).toBe('conflict');
  });

  it('a listed viewer joins: watching to the viewer, viewer.joined to the sharer, audited', async () => {
    const { registry, sharer, audit, shareId } = await started();
    const viewer = endpoint('sam-session');
    await registry.join(sam, viewer, shareId, 'j1');
    expect(viewer.frames).toEqual([{ type: 'share.watching', share: expect.objectContaining({ shareId, watching: true }), ref: 'j1' }]);
    expect(sharer.frames).toContainEqual({ type: 'share.viewer.joined', shareId, viewer: { userId: 'sam', username: 'sam', displayName: 'sam name', role: 'supervisor' } });
    expect(sharer.frames.at(-1)).toMatchObject({ type: 'share.state', share: { watchers: [{ userId: 'sam' }] } });
    expect(actions(audit).at(-1)).toBe(AuditAction.shareJoined);
  });

  it('anyone not on the list is refused (forbidden) for join and signal, audited once per window', async () => {
    const { registry, sharer, audit, shareId, advance } = await started();
    const sneaky = endpoint('sky-session');
    expect(await refusal(registry.join(sky, sneaky, shareId))).toBe('forbidden');
    expect(await refusal(registry.signal(sky, sneaky, shareId, undefined, { type: 'answer', sdp: 'x' }))).toBe('forbidden');
    expect(await refusal(registry.signal(sky, sneaky, shareId, 'ada', { type: 'answer', sdp: 'x' }))).toBe('forbidden');
    expect(await refusal(registry.join(sky, sneaky, 'no-such-share'))).toBe('forbidden');
    expect(sneaky.frames).toEqual([]);
    expect(sharer.frames.filter((f) => f.type === 'share.signal' || f.type === 'share.viewer.joined')).toEqual([]);
    const refused = audit.filter((a) => a.action === AuditAction.shareRefused);
    expect(refused.map((a) => a.details)).toEqual([
      { message: 'share.join', reason: 'not_viewer' },
      { message: 'share.signal', reason: 'not_viewer' },
      { message: 'share.join', reason: 'unknown_share' },
    ]);
    advance(61_000);
    await refusal(registry.join(sky, sneaky, shareId));
    expect(audit.filter((a) => a.action === AuditAction.shareRefused)).toHaveLength(4);
  });

  it('relays signals only between the sharer connection and the joined viewer connection', async () => {
    const { registry, sharer, shareId } = await started();
    const viewer = endpoint('sam-session');
    const otherWindow = endpoint('sam-session');
    // Listed but not joined yet: refused.
    expect(await refusal(registry.signal(sam, viewer, shareId, undefined, { type: 'answer' }))).toBe('forbidden');
    expect(await refusal(registry.signal(ada, sharer, shareId, 'sam', { type: 'offer' }))).toBe('conflict');
    await registry.join(sam, viewer, shareId);
    await registry.signal(ada, sharer, shareId, 'sam', { type: 'offer', sdp: 'o' });
    expect(viewer.frames.at(-1)).toEqual({ type: 'share.signal', shareId, from: 'ada', signal: { type: 'offer', sdp: 'o' } });
    await registry.signal(sam, viewer, shareId, undefined, { type: 'answer', sdp: 'a' });
    expect(sharer.frames.at(-1)).toEqual({ type: 'share.signal', shareId, from: 'sam', signal: { type: 'answer', sdp: 'a' } });
    // Same user, a window that did not join: refused.
    expect(await refusal(registry.signal(sam, otherWindow, shareId, undefined, { type: 'answer' }))).toBe('forbidden');
    // The sharer cannot address someone off the list.
    expect(await refusal(registry.signal(ada, sharer, shareId, 'sky', { type: 'offer' }))).toBe('forbidden');
    // Another window of the sharer cannot drive the share.
    expect(await refusal(registry.signal(ada, endpoint('ada-session'), shareId, 'sam', { type: 'offer' }))).toBe('conflict');
  });

  it('revoke ends the viewer at once and tells the sharer to close that peer', async () => {
    const { registry, sharer, audit, hubFrames, shareId } = await started();
    const viewer = endpoint('sam-session');
    await registry.join(sam, viewer, shareId);
    await registry.revoke(ada, sharer, shareId, 'sam', 'r1');
    expect(viewer.frames.at(-1)).toEqual({ type: 'share.ended', shareId, reason: 'revoked' });
    expect(sharer.frames).toContainEqual({ type: 'share.viewer.left', shareId, userId: 'sam', reason: 'revoked' });
    expect(sharer.frames.at(-1)).toMatchObject({ type: 'share.state', ref: 'r1', share: { viewers: [], watchers: [] } });
    expect(hubFrames.at(-1)).toEqual({ to: 'sam', message: { type: 'shares.available', shares: [] } });
    expect(audit.at(-1)).toMatchObject({ action: AuditAction.shareViewerRevoked, details: { viewer: 'sam', wasWatching: true } });
    expect(await refusal(registry.signal(sam, viewer, shareId, undefined, { type: 'answer' }))).toBe('forbidden');
    expect(await refusal(registry.join(sam, viewer, shareId))).toBe('forbidden');
  });

  it('share.viewers diffs the list: adds and revokes with one audit entry each', async () => {
    const { registry, sharer, audit, shareId } = await started();
    await registry.setViewers(ada, sharer, shareId, ['sky', 'ben']);
    const tail = audit.slice(-3).map((a) => [a.action, a.details?.viewer]);
    expect(tail).toEqual([
      [AuditAction.shareViewerRevoked, 'sam'],
      [AuditAction.shareViewerAdded, 'sky'],
      [AuditAction.shareViewerAdded, 'ben'],
    ]);
    expect(sharer.frames.at(-1)).toMatchObject({ share: { viewers: [{ userId: 'ben' }, { userId: 'sky' }] } });
  });

  it('region, masks and blank changes are applied and audited only when they change', async () => {
    const { registry, sharer, audit, shareId, hubFrames } = await started();
    const before = audit.length;
    await registry.update(ada, sharer, shareId, { region });
    expect(audit.length).toBe(before);
    await registry.update(ada, sharer, shareId, { region: { x: 0, y: 0, width: 640, height: 480 }, masks: [], blanked: true });
    expect(actions(audit.slice(before))).toEqual([AuditAction.shareRegionChanged, AuditAction.shareMasksChanged, AuditAction.shareBlanked]);
    expect(hubFrames.at(-1)?.message).toMatchObject({ type: 'shares.available', shares: [{ blanked: true }] });
    expect(await refusal(registry.update(sam, endpoint(), shareId, { blanked: false }))).toBe('not_found');
  });

  it('stop ends every viewer, clears the sharer state and audits', async () => {
    const { registry, sharer, audit, shareId, advance } = await started();
    const viewer = endpoint('sam-session');
    await registry.join(sam, viewer, shareId);
    advance(5000);
    await registry.stop(ada, sharer, shareId, 's1');
    expect(viewer.frames.at(-1)).toEqual({ type: 'share.ended', shareId, reason: 'stopped' });
    expect(sharer.frames.at(-1)).toEqual({ type: 'share.state', share: null, ref: 's1' });
    expect(audit.at(-1)).toMatchObject({ action: AuditAction.shareStopped, details: { reason: 'stopped', durationMs: 5000, watchers: ['sam'] } });
    expect(registry.size).toBe(0);
  });

  it('a leaving viewer is acknowledged; the sharer closes their peer', async () => {
    const { registry, sharer, audit, shareId } = await started();
    const viewer = endpoint('sam-session');
    await registry.join(sam, viewer, shareId);
    await registry.leave(sam, viewer, shareId);
    expect(viewer.frames.at(-1)).toEqual({ type: 'share.ended', shareId, reason: 'left' });
    expect(sharer.frames).toContainEqual({ type: 'share.viewer.left', shareId, userId: 'sam', reason: 'left' });
    expect(audit.at(-1)).toMatchObject({ action: AuditAction.shareLeft, actor: { id: 'sam' } });
  });

  it('joining again from another window replaces the first', async () => {
    const { registry, sharer, shareId } = await started();
    const first = endpoint('sam-session');
    const second = endpoint('sam-session');
    await registry.join(sam, first, shareId);
    await registry.join(sam, second, shareId);
    expect(first.frames.at(-1)).toEqual({ type: 'share.ended', shareId, reason: 'replaced' });
    expect(sharer.frames.filter((f) => f.type === 'share.viewer.joined')).toHaveLength(2);
  });

  it('sharer disconnect: the share survives the grace period, resumes from the same session, else ends', async () => {
    const { registry, sharer, timers, audit, shareId } = await started(1000);
    const viewer = endpoint('sam-session');
    await registry.join(sam, viewer, shareId);
    sharer.open = false;
    registry.disconnected('ada', { immediate: false });
    expect(timers).toHaveLength(1);
    expect(await refusal(registry.join(sam, endpoint('sam-session'), shareId))).toBe('conflict');
    const back = endpoint('ada-session');
    registry.connected(ada, back);
    expect(back.frames.at(-1)).toMatchObject({ type: 'share.state', share: { shareId } });
    expect(await refusal(() => registry.resume(ada, endpoint('other-session'), shareId))).toBe('not_found');
    registry.resume(ada, back, shareId);
    expect(timers[0]!.cleared).toBe(true);
    back.open = false;
    registry.disconnected('ada', { immediate: false });
    timers[1]!.fn();
    expect(viewer.frames.at(-1)).toEqual({ type: 'share.ended', shareId, reason: 'sharer_left' });
    await Promise.resolve();
    expect(audit.at(-1)).toMatchObject({ action: AuditAction.shareStopped, details: { reason: 'sharer_left' } });
  });

  it('sign-out ends the share at once; only the session that started it', async () => {
    const { registry, shareId } = await started();
    await registry.signedOut('ada', 'another-session');
    expect(registry.size).toBe(1);
    await registry.signedOut('ada', 'ada-session');
    expect(registry.size).toBe(0);
    expect(await refusal(registry.join(sam, endpoint(), shareId))).toBe('forbidden');
  });

  it('a viewer whose connection closes has left', async () => {
    const { registry, sharer, shareId } = await started();
    const viewer = endpoint('sam-session');
    await registry.join(sam, viewer, shareId);
    viewer.open = false;
    registry.disconnected('sam', { immediate: false });
    expect(sharer.frames).toContainEqual({ type: 'share.viewer.left', shareId, userId: 'sam', reason: 'left' });
  });

  it('candidates are the other staff users', async () => {
    const { registry } = setup();
    expect((await registry.candidates(ada)).map((p) => p.userId)).toEqual(['ben', 'sam', 'sky']);
  });
});
