import { describe, expect, it, vi } from 'vitest';
import { EventEmitter, once } from '../../../browser/media/node-events';

describe('browser EventEmitter shim', () => {
  it('calls listeners in order, once only once, prepend first', () => {
    const e = new EventEmitter();
    const calls: string[] = [];
    e.on('x', (v) => calls.push(`on:${v}`));
    e.once('x', (v) => calls.push(`once:${v}`));
    e.prependListener('x', (v) => calls.push(`pre:${v}`));
    expect(e.emit('x', 1)).toBe(true);
    e.emit('x', 2);
    expect(calls).toEqual(['pre:1', 'on:1', 'once:1', 'pre:2', 'on:2']);
    expect(e.listenerCount('x')).toBe(2);
    expect(EventEmitter.listenerCount(e, 'x')).toBe(2);
  });

  it('removes by the original function, also for once listeners', () => {
    const e = new EventEmitter();
    const fn = vi.fn();
    e.once('y', fn);
    expect(e.listeners('y')).toEqual([fn]);
    e.removeListener('y', fn);
    expect(e.emit('y')).toBe(false);
    expect(fn).not.toHaveBeenCalled();
  });

  it('throws an unhandled error event, like Node', () => {
    const e = new EventEmitter();
    expect(() => e.emit('error', new Error('boom'))).toThrow('boom');
    e.on('error', () => undefined);
    expect(() => e.emit('error', new Error('boom'))).not.toThrow();
  });

  it('works as a base the way readable-stream inherits from it (Ctor.call(this) + prototype chain)', () => {
    function Legacy(this: EventEmitter) {
      EventEmitter.call(this);
    }
    Legacy.prototype = Object.create(EventEmitter.prototype, { constructor: { value: Legacy } });
    const legacy = new (Legacy as unknown as new () => EventEmitter)();
    const seen: unknown[] = [];
    legacy.on('data', (d) => seen.push(d));
    legacy.emit('data', 'chunk');
    expect(seen).toEqual(['chunk']);
    expect(legacy instanceof EventEmitter).toBe(true);
    expect(EventEmitter.EventEmitter).toBe(EventEmitter);

    class Modern extends EventEmitter {}
    const m = new Modern();
    m.once('end', () => seen.push('end'));
    m.emit('end');
    expect(seen).toEqual(['chunk', 'end']);
  });

  it('once() resolves with the event arguments', async () => {
    const e = new EventEmitter();
    const next = once(e, 'ready');
    e.emit('ready', 1, 2);
    await expect(next).resolves.toEqual([1, 2]);
  });
});

describe('events shim (for readable-stream in the browser)', () => {
  // readable-stream's style: a constructor that calls EventEmitter.call(this) and inherits its prototype.
  function Stream(this: { tag: string }) {
    (EventEmitter as unknown as (this: unknown) => void).call(this);
    this.tag = 'stream';
  }
  Stream.prototype = Object.create(EventEmitter.prototype, { constructor: { value: Stream } });
  type Fn = (event: string, listener: () => void) => unknown;
  type E = { on: Fn; once: Fn; prependListener: Fn; emit: (event: string, ...args: unknown[]) => boolean; removeListener: Fn; listenerCount: (event: string) => number; listeners: Fn };
  const make = () => new (Stream as unknown as new () => E)();

  it('works with the old constructor style, in order, with once and prepend', () => {
    const s = make();
    const calls: string[] = [];
    const b = (): void => void calls.push('b');
    s.on('x', b);
    s.once('x', () => calls.push('once'));
    s.prependListener('x', () => calls.push('first'));
    expect(s.emit('x')).toBe(true);
    s.emit('x');
    expect(calls).toEqual(['first', 'b', 'once', 'first', 'b']);
    s.removeListener('x', b);
    expect(s.listenerCount('x')).toBe(1);
    expect(s.emit('nothing')).toBe(false);
    expect(EventEmitter.listenerCount(s as never, 'x')).toBe(1);
  });

  it('throws an unhandled error event like Node', () => {
    expect(() => make().emit('error', new Error('boom'))).toThrow('boom');
  });
});
