import { describe, expect, it } from 'vitest';
import { IceRestartPolicy } from '../../../browser/media/ice-restart-policy';

const noJitter = () => 0;
const options = { graceMs: 2_000, backoff: { initialMs: 2_000, maxMs: 10_000, jitter: 0.1 }, stallRestarts: 2 };

describe('ICE restart policy', () => {
  it('a short disconnect that heals within the grace makes no restart and ends "reconnecting"', () => {
    const p = new IceRestartPolicy(options, noJitter);
    expect(p.onState('disconnected', 0)).toEqual({ kind: 'none' });
    expect(p.reconnecting).toBe(true);
    expect(p.tick(1_500)).toEqual({ kind: 'none' });
    expect(p.onState('connected', 1_800)).toEqual({ kind: 'none' });
    expect(p.reconnecting).toBe(false);
    expect(p.tick(5_000)).toEqual({ kind: 'none' });
  });

  it('restarts after the grace, then again with backoff (2 s, 4 s, 8 s, 10 s cap) while still broken', () => {
    const p = new IceRestartPolicy(options, noJitter);
    p.onState('disconnected', 0);
    expect(p.nextTickAt).toBe(2_000);
    expect(p.tick(2_000)).toEqual({ kind: 'restart', attempt: 1 });
    expect(p.onState('checking', 2_100)).toEqual({ kind: 'none' });
    expect(p.tick(3_999)).toEqual({ kind: 'none' });
    expect(p.tick(4_000)).toEqual({ kind: 'restart', attempt: 2 });
    expect(p.tick(8_000)).toEqual({ kind: 'restart', attempt: 3 });
    expect(p.tick(16_000)).toEqual({ kind: 'restart', attempt: 4 });
    expect(p.tick(26_000)).toEqual({ kind: 'restart', attempt: 5 });
    expect(p.nextTickAt).toBe(36_000);
  });

  it("'failed' restarts at once, without the grace", () => {
    const p = new IceRestartPolicy(options, noJitter);
    expect(p.onState('failed', 100)).toEqual({ kind: 'restart', attempt: 1 });
    expect(p.reconnecting).toBe(true);
  });

  it('after recovery a new break starts over from the grace and attempt 1', () => {
    const p = new IceRestartPolicy(options, noJitter);
    p.onState('disconnected', 0);
    p.tick(2_000);
    p.tick(4_000);
    p.onState('connected', 4_500);
    expect(p.attempt).toBe(0);
    p.onState('disconnected', 10_000);
    expect(p.tick(11_000)).toEqual({ kind: 'none' });
    expect(p.tick(12_000)).toEqual({ kind: 'restart', attempt: 1 });
  });

  it('a closed connection or an ended call stops everything', () => {
    const p = new IceRestartPolicy(options, noJitter);
    p.onState('disconnected', 0);
    p.stop();
    expect(p.tick(60_000)).toEqual({ kind: 'none' });
    expect(p.onState('failed', 61_000)).toEqual({ kind: 'none' });
    expect(p.nextTickAt).toBeNull();
    const q = new IceRestartPolicy(options, noJitter);
    q.onState('closed', 0);
    expect(q.onState('failed', 1)).toEqual({ kind: 'none' });
  });

  it('the inbound audio stalling on a connected call restarts at once; audio flowing again ends it', () => {
    const p = new IceRestartPolicy(options, noJitter);
    p.onState('connected', 0);
    expect(p.onInbound(true, 10_000)).toEqual({ kind: 'restart', attempt: 1 });
    expect(p.reconnecting).toBe(true);
    // The browser never said 'disconnected' (the new path came first): the audio says it is over.
    expect(p.onInbound(false, 11_000)).toEqual({ kind: 'none' });
    expect(p.reconnecting).toBe(false);
    expect(p.attempt).toBe(0);
    expect(p.nextTickAt).toBeNull();
  });

  it("a stall during the 'disconnected' grace cuts the grace short; a late 'disconnected' adds no restart", () => {
    const p = new IceRestartPolicy(options, noJitter);
    p.onState('connected', 0);
    p.onState('disconnected', 1_000);
    expect(p.onInbound(true, 1_500)).toEqual({ kind: 'restart', attempt: 1 });
    const q = new IceRestartPolicy(options, noJitter);
    q.onState('connected', 0);
    q.onInbound(true, 1_500);
    expect(q.onState('disconnected', 3_000)).toEqual({ kind: 'none' });
    expect(q.attempt).toBe(1);
    expect(q.nextTickAt).toBe(3_500);
  });

  it('a stall ICE keeps calling connected (the other side sends nothing) stops after 2 restarts, until audio flows again', () => {
    const p = new IceRestartPolicy(options, noJitter);
    p.onState('connected', 0);
    expect(p.onInbound(true, 1_000)).toEqual({ kind: 'restart', attempt: 1 });
    expect(p.tick(3_000)).toEqual({ kind: 'restart', attempt: 2 });
    expect(p.tick(7_000)).toEqual({ kind: 'none' });
    expect(p.reconnecting).toBe(false);
    expect(p.nextTickAt).toBeNull();
    // Still no audio, still connected: nothing more.
    expect(p.tick(60_000)).toEqual({ kind: 'none' });
    // The path then really breaks: ICE's own signal still restarts.
    expect(p.onState('disconnected', 61_000)).toEqual({ kind: 'none' });
    expect(p.tick(63_000)).toEqual({ kind: 'restart', attempt: 1 });
    p.onState('connected', 64_000);
    // Audio back, then a new stall counts again.
    p.onInbound(false, 65_000);
    expect(p.onInbound(true, 70_000)).toEqual({ kind: 'restart', attempt: 1 });
  });

  it("a stall while ICE is 'disconnected' or 'failed' keeps restarting with backoff", () => {
    const p = new IceRestartPolicy(options, noJitter);
    p.onState('connected', 0);
    p.onInbound(true, 1_000);
    p.onState('failed', 2_000);
    expect(p.tick(3_000)).toEqual({ kind: 'restart', attempt: 2 });
    expect(p.tick(7_000)).toEqual({ kind: 'restart', attempt: 3 });
    expect(p.reconnecting).toBe(true);
  });

  it('after the call ended a stall does nothing', () => {
    const p = new IceRestartPolicy(options, noJitter);
    p.stop();
    expect(p.onInbound(true, 0)).toEqual({ kind: 'none' });
    expect(p.reconnecting).toBe(false);
  });
});
