import { describe, expect, it } from 'vitest';
import { IceRestartPolicy } from '../../../browser/media/ice-restart-policy';

const noJitter = () => 0;
const options = { graceMs: 2_000, backoff: { initialMs: 2_000, maxMs: 10_000, jitter: 0.1 } };

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
});
