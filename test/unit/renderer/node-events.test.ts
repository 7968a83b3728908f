import { describe, expect, it, vi } from 'vitest';
import { EventEmitter, once } from '../../../renderer/media/node-events';

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
