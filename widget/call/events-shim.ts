/*
 * Browser stand-in for Node's `events` module (vite.config.ts aliases `events` here). simple-peer
 * builds on readable-stream, whose browser build takes EventEmitter from `events`; no `events`
 * package is installed, and Vite would otherwise hand it an empty module.
 *
 * readable-stream uses the old constructor style — `EventEmitter.call(this)` and
 * `inherits(Stream, EventEmitter)` — so EventEmitter must be a plain function whose prototype
 * carries the methods; the listener table is created lazily by the methods themselves.
 */

type Listener = (...args: unknown[]) => void;
type Key = string | symbol;
interface Entry {
  fn: Listener;
  once: boolean;
}

class EmitterMethods {
  private __listeners?: Map<Key, Entry[]>;
  private __max?: number;

  private table(): Map<Key, Entry[]> {
    if (!this.__listeners) Object.defineProperty(this, '__listeners', { value: new Map<Key, Entry[]>(), enumerable: false, writable: true });
    return this.__listeners as Map<Key, Entry[]>;
  }

  private add(event: Key, fn: Listener, once: boolean, prepend: boolean): this {
    if (typeof fn !== 'function') throw new TypeError('The "listener" argument must be of type function');
    // Node emits newListener before adding; readable-stream does not rely on it, kept for fidelity.
    if (this.__listeners?.has('newListener')) this.emit('newListener', event, fn);
    const list = this.table().get(event) ?? [];
    const entry = { fn, once };
    this.table().set(event, prepend ? [entry, ...list] : [...list, entry]);
    return this;
  }

  on(event: Key, fn: Listener): this {
    return this.add(event, fn, false, false);
  }

  addListener(event: Key, fn: Listener): this {
    return this.add(event, fn, false, false);
  }

  prependListener(event: Key, fn: Listener): this {
    return this.add(event, fn, false, true);
  }

  once(event: Key, fn: Listener): this {
    return this.add(event, fn, true, false);
  }

  prependOnceListener(event: Key, fn: Listener): this {
    return this.add(event, fn, true, true);
  }

  removeListener(event: Key, fn: Listener): this {
    const list = this.__listeners?.get(event);
    if (!list) return this;
    // Like Node: removes the most recently added matching listener.
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i]?.fn === fn) {
        const next = [...list.slice(0, i), ...list.slice(i + 1)];
        if (next.length === 0) this.table().delete(event);
        else this.table().set(event, next);
        if (this.__listeners?.has('removeListener')) this.emit('removeListener', event, fn);
        break;
      }
    }
    return this;
  }

  off(event: Key, fn: Listener): this {
    return this.removeListener(event, fn);
  }

  removeAllListeners(event?: Key): this {
    if (event === undefined) this.__listeners?.clear();
    else this.__listeners?.delete(event);
    return this;
  }

  emit(event: Key, ...args: unknown[]): boolean {
    const list = this.__listeners?.get(event);
    if (!list || list.length === 0) {
      if (event === 'error') throw args[0] instanceof Error ? args[0] : new Error(`Unhandled error: ${String(args[0])}`);
      return false;
    }
    // Once-listeners leave before any listener runs, so a re-emit from inside cannot call them twice.
    if (list.some((e) => e.once)) {
      const rest = list.filter((e) => !e.once);
      if (rest.length === 0) this.table().delete(event);
      else this.table().set(event, rest);
    }
    for (const e of list) e.fn.apply(this, args);
    return true;
  }

  listeners(event: Key): Listener[] {
    return (this.__listeners?.get(event) ?? []).map((e) => e.fn);
  }

  rawListeners(event: Key): Listener[] {
    return this.listeners(event);
  }

  listenerCount(event: Key): number {
    return this.__listeners?.get(event)?.length ?? 0;
  }

  eventNames(): Key[] {
    return [...(this.__listeners?.keys() ?? [])];
  }

  setMaxListeners(n: number): this {
    this.__max = n;
    return this;
  }

  getMaxListeners(): number {
    return this.__max ?? 10;
  }
}

/** Callable as a constructor and with `.call(this)`; its prototype holds the methods. */
export function EventEmitter(this: unknown): void {
  // State is created on first use by the prototype methods.
}
EventEmitter.prototype = EmitterMethods.prototype;
(EmitterMethods.prototype as unknown as { constructor: unknown }).constructor = EventEmitter;
EventEmitter.EventEmitter = EventEmitter;
EventEmitter.defaultMaxListeners = 10;
EventEmitter.listenerCount = (emitter: EmitterMethods, event: Key): number => emitter.listenerCount(event);

export default EventEmitter;
