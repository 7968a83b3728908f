import { afterEach, describe, expect, it } from 'vitest';
import type { LoginResponse } from '../../shared/api/http';
import type { ServerMessage, ServerMessageOf } from '../../shared/api/ws';
import { api, isError, isType, login, nextFrame, roundTrip, startBackend, waitFor, wsConnect, type TestBackend, type TestSocket } from './helpers';

const GRACE_MS = 300;
const source = { kind: 'screen', label: 'Screen 1', width: 1280, height: 720 };
const region = { x: 100, y: 60, width: 800, height: 600 };
const mask = { x: 300, y: 200, width: 200, height: 100 };

type Frame<T extends ServerMessage['type']> = ServerMessageOf<T>;

describe('screen shares', () => {
  let server: TestBackend;
  let agent: LoginResponse;
  let super1: LoginResponse;
  let super2: LoginResponse;
  let admin: LoginResponse;

  async function start(): Promise<void> {
    server = await startBackend({ presenceGraceMs: GRACE_MS, heartbeatMs: 1000 });
    [agent, super1, super2, admin] = await Promise.all([login(server.url, 'agent1'), login(server.url, 'super1'), login(server.url, 'super2'), login(server.url, 'admin')]);
  }

  afterEach(async () => {
    await server.close();
  });

  async function auditActions(prefix = 'share.'): Promise<{ action: string; actorName: string | null; details: Record<string, unknown> }[]> {
    const res = await api(server.url, '/api/audit?limit=500', { token: admin.token });
    expect(res.status).toBe(200);
    return (res.body.entries as { action: string; actorName: string | null; details: Record<string, unknown> }[]).filter((e) => e.action.startsWith(prefix));
  }

  async function startShare(sharer: TestSocket, viewers: string[]): Promise<string> {
    sharer.send({ type: 'share.start', source, region, masks: [mask], viewers, id: 'start-1' });
    const state = await nextFrame<Frame<'share.state'>>(sharer, (f) => f.type === 'share.state' && f.ref === 'start-1');
    expect(state.share).toMatchObject({ region, masks: [mask], blanked: false, watchers: [] });
    return state.share!.shareId;
  }

  it('the whole flow: start, chosen viewer joins and signals, others refused, revoke, stop, all audited', async () => {
    await start();
    const sharer = await wsConnect(server.url, agent.token);
    const viewer = await wsConnect(server.url, super1.token);
    const outsider = await wsConnect(server.url, super2.token);
    // Everyone starts with no joinable share.
    expect(viewer.frames.find((f) => f.type === 'shares.available')).toEqual({ type: 'shares.available', shares: [] });

    const shareId = await startShare(sharer, [super1.user.id]);
    const offered = await nextFrame<Frame<'shares.available'>>(viewer, (f) => f.type === 'shares.available' && f.shares.length === 1);
    expect(offered.shares[0]).toMatchObject({ shareId, sharerId: agent.user.id, sharerName: 'Ada Agent', width: 800, height: 600, watching: false });

    // Not chosen: sees nothing, cannot join, cannot signal either side, even sending the frames directly.
    await roundTrip(outsider);
    expect(outsider.frames.filter((f) => f.type === 'shares.available' && f.shares.length > 0)).toEqual([]);
    outsider.send({ type: 'share.join', shareId, id: 'j-bad' });
    const refusedJoin = await nextFrame<Frame<'error'>>(outsider, isType('error'));
    expect(refusedJoin).toMatchObject({ code: 'forbidden', ref: 'j-bad' });
    expect(refusedJoin.message).toMatch(/not on the viewer list/);
    outsider.send({ type: 'share.signal', shareId, signal: { type: 'answer', sdp: 'v=0' } });
    await nextFrame(outsider, isError('forbidden'));
    outsider.send({ type: 'share.signal', shareId, to: agent.user.id, signal: { type: 'offer', sdp: 'v=0' } });
    await nextFrame(outsider, isError('forbidden'));
    outsider.send({ type: 'share.signal', shareId, signal: { candidate: { candidate: 'x' } } });
    await nextFrame(outsider, isError('forbidden'));

    // The chosen viewer joins; the sharer is told and offers; signals flow both ways.
    viewer.send({ type: 'share.join', shareId, id: 'j1' });
    await nextFrame(viewer, (f) => f.type === 'share.watching' && f.ref === 'j1');
    const joined = await nextFrame<Frame<'share.viewer.joined'>>(sharer, isType('share.viewer.joined'));
    expect(joined.viewer).toMatchObject({ userId: super1.user.id, displayName: 'Sam Supervisor' });
    sharer.send({ type: 'share.signal', shareId, to: super1.user.id, signal: { type: 'offer', sdp: 'offer-sdp' } });
    expect(await nextFrame(viewer, isType('share.signal'))).toEqual({ type: 'share.signal', shareId, from: agent.user.id, signal: { type: 'offer', sdp: 'offer-sdp' } });
    viewer.send({ type: 'share.signal', shareId, signal: { type: 'answer', sdp: 'answer-sdp' } });
    expect(await nextFrame(sharer, isType('share.signal'))).toEqual({ type: 'share.signal', shareId, from: super1.user.id, signal: { type: 'answer', sdp: 'answer-sdp' } });
    // Nothing of it reached the outsider.
    await roundTrip(outsider);
    expect(outsider.frames.filter((f) => f.type.startsWith('share.signal') || f.type === 'share.watching')).toEqual([]);
    // The sharer cannot address a non-viewer either.
    sharer.send({ type: 'share.signal', shareId, to: super2.user.id, signal: { type: 'offer', sdp: 'x' } });
    await nextFrame(sharer, isError('forbidden'));

    // Region, masks, blank: applied to the state and audited.
    sharer.send({ type: 'share.update', shareId, region: { x: 0, y: 0, width: 640, height: 480 }, masks: [], id: 'u1' });
    await nextFrame(sharer, (f) => f.type === 'share.state' && f.ref === 'u1' && f.share?.region.width === 640);
    sharer.send({ type: 'share.update', shareId, blanked: true, id: 'u2' });
    await nextFrame(sharer, (f) => f.type === 'share.state' && f.ref === 'u2' && f.share?.blanked === true);
    await nextFrame(viewer, (f) => f.type === 'shares.available' && f.shares[0]?.blanked === true);

    // Revoke: the viewer's video ends at once, the sharer closes that peer; rejoin and signals refused.
    sharer.send({ type: 'share.revoke', shareId, userId: super1.user.id, id: 'r1' });
    expect(await nextFrame(viewer, isType('share.ended'))).toEqual({ type: 'share.ended', shareId, reason: 'revoked' });
    expect(await nextFrame(sharer, isType('share.viewer.left'))).toEqual({ type: 'share.viewer.left', shareId, userId: super1.user.id, reason: 'revoked' });
    viewer.send({ type: 'share.signal', shareId, signal: { type: 'answer', sdp: 'again' } });
    await nextFrame(viewer, isError('forbidden'));
    viewer.send({ type: 'share.join', shareId });
    await nextFrame(viewer, isError('forbidden'));

    // Stop.
    sharer.send({ type: 'share.viewers', shareId, viewers: [super1.user.id], id: 'v1' });
    await nextFrame(viewer, (f) => f.type === 'shares.available' && f.shares.length === 1);
    viewer.send({ type: 'share.join', shareId, id: 'j2' });
    await nextFrame(viewer, (f) => f.type === 'share.watching' && f.ref === 'j2');
    sharer.send({ type: 'share.stop', shareId, id: 's1' });
    expect(await nextFrame(viewer, isType('share.ended'))).toEqual({ type: 'share.ended', shareId, reason: 'stopped' });
    expect(await nextFrame(sharer, (f) => f.type === 'share.state' && f.ref === 's1')).toEqual({ type: 'share.state', share: null, ref: 's1' });
    await nextFrame(viewer, (f) => f.type === 'shares.available' && f.shares.length === 0);

    // Audit entries are written in order after the frames go out: wait for the last one to land.
    await waitFor(async () => (await auditActions()).at(-1)?.action === 'share.stopped', 5000, 'share.stopped audited');
    const trail = await auditActions();
    expect(trail.map((e) => [e.action, e.actorName])).toEqual([
      ['share.started', 'agent1'],
      ['share.viewer_added', 'agent1'],
      ['share.refused', 'super2'],
      ['share.refused', 'super2'],
      ['share.joined', 'super1'],
      ['share.refused', 'agent1'],
      ['share.region_changed', 'agent1'],
      ['share.masks_changed', 'agent1'],
      ['share.blanked', 'agent1'],
      ['share.viewer_revoked', 'agent1'],
      ['share.refused', 'super1'],
      ['share.refused', 'super1'],
      ['share.viewer_added', 'agent1'],
      ['share.joined', 'super1'],
      ['share.stopped', 'agent1'],
    ]);
    expect(trail[0]!.details).toMatchObject({ region, masks: [mask], viewers: ['super1'], source });
    expect(trail[2]!.details).toEqual({ message: 'share.join', reason: 'not_viewer' });
    expect(trail.at(-1)!.details).toMatchObject({ reason: 'stopped', watchers: ['super1'] });
    const verify = await api(server.url, '/api/audit/verify', { token: admin.token });
    expect(verify.body).toMatchObject({ intact: true });
  });

  it('refuses bad shares: region outside the source, unknown viewers, unknown fields, empty updates', async () => {
    await start();
    const sharer = await wsConnect(server.url, agent.token);
    sharer.send({ type: 'share.start', source, region: { x: 1000, y: 0, width: 800, height: 600 }, viewers: [], id: 'bad1' });
    expect(await nextFrame(sharer, isType('error'))).toMatchObject({ code: 'bad_request', ref: 'bad1' });
    sharer.send({ type: 'share.start', source, region, viewers: ['not-a-user'], id: 'bad2' });
    expect(await nextFrame(sharer, isType('error'))).toMatchObject({ code: 'bad_request', ref: 'bad2' });
    sharer.send({ type: 'share.start', source, region: { ...region, extra: 1 }, viewers: [], id: 'bad3' });
    expect(await nextFrame(sharer, isType('error'))).toMatchObject({ code: 'bad_request', ref: 'bad3' });
    sharer.send({ type: 'share.update', shareId: 'x', id: 'bad4' });
    expect(await nextFrame(sharer, isType('error'))).toMatchObject({ code: 'bad_request', ref: 'bad4' });
    expect(await auditActions()).toEqual([]);
  });

  it('candidates list the other staff users', async () => {
    await start();
    const sharer = await wsConnect(server.url, agent.token);
    sharer.send({ type: 'share.candidates', id: 'c1' });
    const frame = await nextFrame<Frame<'share.candidates'>>(sharer, isType('share.candidates'));
    expect(frame.users.map((u) => u.username)).toEqual(['admin', 'agent2', 'agent3', 'super1', 'super2']);
  });

  it('signing out ends the share at once', async () => {
    await start();
    const sharer = await wsConnect(server.url, agent.token);
    const viewer = await wsConnect(server.url, super1.token);
    const shareId = await startShare(sharer, [super1.user.id]);
    viewer.send({ type: 'share.join', shareId });
    await nextFrame(viewer, isType('share.watching'));
    const res = await api(server.url, '/api/auth/logout', { method: 'POST', token: agent.token });
    expect(res.status).toBe(200);
    expect(await nextFrame(viewer, isType('share.ended'))).toMatchObject({ reason: 'signed_out' });
    await expect.poll(async () => (await auditActions()).at(-1)).toMatchObject({ action: 'share.stopped', details: { reason: 'signed_out' } });
  });

  it('a sharer who reconnects within the grace period resumes; one who stays away loses the share', async () => {
    await start();
    let sharer = await wsConnect(server.url, agent.token);
    const viewer = await wsConnect(server.url, super1.token);
    const shareId = await startShare(sharer, [super1.user.id]);
    await sharer.close();
    sharer = await wsConnect(server.url, agent.token);
    const restored = await nextFrame<Frame<'share.state'>>(sharer, isType('share.state'));
    expect(restored.share?.shareId).toBe(shareId);
    sharer.send({ type: 'share.resume', shareId, id: 'res' });
    await nextFrame(sharer, (f) => f.type === 'share.state' && f.ref === 'res');
    viewer.send({ type: 'share.join', shareId, id: 'j' });
    await nextFrame(viewer, (f) => f.type === 'share.watching');
    await nextFrame(sharer, isType('share.viewer.joined'));

    const closedAt = Date.now();
    await sharer.close();
    expect(await nextFrame(viewer, isType('share.ended'), 3000)).toMatchObject({ reason: 'sharer_left' });
    expect(Date.now() - closedAt).toBeGreaterThanOrEqual(GRACE_MS - 20);
  });

  it('a viewer whose socket closes has left; the sharer is told', async () => {
    await start();
    const sharer = await wsConnect(server.url, agent.token);
    const viewer = await wsConnect(server.url, super1.token);
    const shareId = await startShare(sharer, [super1.user.id]);
    viewer.send({ type: 'share.join', shareId });
    await nextFrame(sharer, isType('share.viewer.joined'));
    await viewer.close();
    expect(await nextFrame(sharer, isType('share.viewer.left'))).toMatchObject({ userId: super1.user.id, reason: 'left' });
  });
});
