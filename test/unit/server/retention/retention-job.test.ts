import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RETENTION_INTERVAL_MS, RetentionJob } from '../../../../server/modules/retention/retention-job';
import type { RetentionRun } from '../../../../server/modules/retention/retention-service';

const HOUR = 60 * 60_000;

/** A run the test finishes by hand, to see what overlaps and what waits. */
function controlledRuns() {
  const started: { finish: () => void }[] = [];
  let running = 0;
  let maxRunning = 0;
  const run = () =>
    new Promise<RetentionRun>((resolve) => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      started.push({
        finish: () => {
          running -= 1;
          resolve({ at: new Date().toISOString(), classes: [] });
        },
      });
    });
  return { run, started, maxRunning: () => maxRunning };
}

describe('RetentionJob', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs once at start, then every hour, and the timer does not hold the process open', async () => {
    expect(RETENTION_INTERVAL_MS).toBe(HOUR);
    const runs = controlledRuns();
    const job = new RetentionJob({ run: runs.run, onError: () => undefined });
    job.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs.started).toHaveLength(1);
    runs.started[0]!.finish();
    await vi.advanceTimersByTimeAsync(HOUR - 1);
    expect(runs.started).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs.started).toHaveLength(2);
    runs.started[1]!.finish();
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(runs.started).toHaveLength(3);
    runs.started[2]!.finish();
    const timer = (job as unknown as { timer: NodeJS.Timeout }).timer;
    expect(timer.hasRef()).toBe(false);
    await job.stop();
  });

  it('never overlaps runs: one asked for while another works starts after it', async () => {
    const runs = controlledRuns();
    const job = new RetentionJob({ run: runs.run, onError: () => undefined });
    job.start();
    await vi.advanceTimersByTimeAsync(0);
    const second = job.runNow();
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(runs.started).toHaveLength(1);
    runs.started[0]!.finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs.started).toHaveLength(2);
    runs.started[1]!.finish();
    await expect(second).resolves.toMatchObject({ classes: [] });
    await vi.advanceTimersByTimeAsync(0);
    for (const r of runs.started.slice(2)) r.finish();
    expect(runs.maxRunning()).toBe(1);
    await job.stop();
  });

  it('stop waits for the run in progress and no run starts after it', async () => {
    const runs = controlledRuns();
    const job = new RetentionJob({ run: runs.run, onError: () => undefined });
    job.start();
    await vi.advanceTimersByTimeAsync(0);
    let stopped = false;
    const stopping = job.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    runs.started[0]!.finish();
    await stopping;
    await vi.advanceTimersByTimeAsync(5 * HOUR);
    expect(runs.started).toHaveLength(1);
    await expect(job.runNow()).rejects.toThrow(/stopped/);
  });

  it('a failed run is reported and the next hour tries again', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const job = new RetentionJob({
      run: async () => {
        calls += 1;
        if (calls === 1) throw new Error('disk full');
        return { at: new Date().toISOString(), classes: [] };
      },
      onError: (err) => errors.push(err),
    });
    job.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(errors).toEqual([expect.objectContaining({ message: 'disk full' })]);
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(calls).toBe(2);
    expect(errors).toHaveLength(1);
    await job.stop();
  });
});
