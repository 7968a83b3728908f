import { describe, expect, it } from 'vitest';
import { ChangeLanes } from '../../../../server/modules/interactions/change-lanes';

/** A task that records when it starts and ends, and finishes only when told to. */
function gate(log: string[], name: string) {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return {
    task: async () => {
      log.push(`${name} start`);
      await opened;
      log.push(`${name} end`);
      return name;
    },
    open: () => open(),
  };
}

const turn = () => new Promise((r) => setImmediate(r));

describe('ChangeLanes', () => {
  it('runs different lanes side by side and one lane in order', async () => {
    const lanes = new ChangeLanes();
    const log: string[] = [];
    const a1 = gate(log, 'a1');
    const a2 = gate(log, 'a2');
    const b1 = gate(log, 'b1');
    const done = [lanes.lane('a', a1.task), lanes.lane('a', a2.task), lanes.lane('b', b1.task)];
    await turn();
    // b1 started while a1 is still running; a2 waits for a1.
    expect(log).toEqual(['a1 start', 'b1 start']);
    b1.open();
    await turn();
    expect(log).toEqual(['a1 start', 'b1 start', 'b1 end']);
    a1.open();
    await turn();
    expect(log).toEqual(['a1 start', 'b1 start', 'b1 end', 'a1 end', 'a2 start']);
    a2.open();
    expect(await Promise.all(done)).toEqual(['a1', 'a2', 'b1']);
  });

  it('an exclusive change waits for every lane queued before it, and lanes queued after wait for it', async () => {
    const lanes = new ChangeLanes();
    const log: string[] = [];
    const a = gate(log, 'a');
    const b = gate(log, 'b');
    const x = gate(log, 'x');
    const c = gate(log, 'c');
    const done = [lanes.lane('a', a.task), lanes.lane('b', b.task), lanes.exclusive(x.task), lanes.lane('c', c.task)];
    await turn();
    expect(log).toEqual(['a start', 'b start']);
    a.open();
    await turn();
    expect(log).not.toContain('x start');
    b.open();
    await turn();
    expect(log).toEqual(['a start', 'b start', 'a end', 'b end', 'x start']);
    x.open();
    await turn();
    expect(log.slice(-2)).toEqual(['x end', 'c start']);
    c.open();
    await Promise.all(done);
  });

  it('a failed task rejects its caller only; the lane and later exclusives go on', async () => {
    const lanes = new ChangeLanes();
    const failed = lanes.lane('a', () => Promise.reject(new Error('boom')));
    const next = lanes.lane('a', () => 'next');
    const exclusive = lanes.exclusive(() => 'x');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
    await expect(exclusive).resolves.toBe('x');
    await expect(lanes.idle()).resolves.toBeUndefined();
  });

  it('idle waits for lanes and exclusives in progress', async () => {
    const lanes = new ChangeLanes();
    const log: string[] = [];
    const a = gate(log, 'a');
    void lanes.lane('a', a.task);
    let idle = false;
    void lanes.idle().then(() => (idle = true));
    await turn();
    expect(idle).toBe(false);
    a.open();
    await turn();
    expect(idle).toBe(true);
  });
});
