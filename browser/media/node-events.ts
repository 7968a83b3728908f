/**
 * Node's `events` module for the browser bundle. simple-peer's stream dependencies (readable-stream)
 * do `require('events').EventEmitter`; Vite would otherwise turn that built-in into an empty module
 * and the first call fails with "Cannot read properties of undefined (reading 'call')".
 * browser/vite/app-config.ts aliases `events` here. Behaviour follows Node's for what those libraries
 * use: on/once/prepend*, off, emit (throwing an unhandled 'error'), listeners, counts.
 */

/* eslint-disable @typescript-eslint/no-explicit-any -- mirrors Node's untyped listener signature */
type Listener = (...args: any[]) => void;
type Wrapped = Listener & { listener?: Listener };
type EventName = string | symbol;

export interface EventEmitter {
  on(type: EventName, listener: Listener): this;
  addListener(type: EventName, listener: Listener): this;
  prependListener(type: EventName, listener: Listener): this;
  once(type: EventName, listener: Listener): this;
  prependOnceListener(type: EventName, listener: Listener): this;
  removeListener(type: EventName, listener: Listener): this;
  off(type: EventName, listener: Listener): this;
  removeAllListeners(type?: EventName): this;
  emit(type: EventName, ...args: unknown[]): boolean;
  listeners(type: EventName): Listener[];
  rawListeners(type: EventName): Listener[];
  listenerCount(type: EventName): number;
  eventNames(): EventName[];
  setMaxListeners(n: number): this;
  getMaxListeners(): number;
}

interface EventEmitterStatic {
  new (): EventEmitter;
  /** Old-style inheritance (`EventEmitter.call(this)`), as readable-stream does it. */
  (this: unknown): void;
  prototype: EventEmitter;
  EventEmitter: EventEmitterStatic;
  defaultMaxListeners: number;
  listenerCount(emitter: EventEmitter, type: EventName): number;
}

interface State {
  __events?: Map<EventName, Wrapped[]>;
  __maxListeners?: number;
}

/** Listeners live on the instance, created lazily so subclasses that skip the constructor still work. */
function eventsOf(self: unknown): Map<EventName, Wrapped[]> {
  const state = self as State;
  state.__events ??= new Map();
  return state.__events;
}

// A function, not a class: readable-stream calls `Stream.call(this)` from its own constructors.
export const EventEmitter = function EventEmitter(this: unknown) {
  eventsOf(this);
} as unknown as EventEmitterStatic;

EventEmitter.EventEmitter = EventEmitter;
EventEmitter.defaultMaxListeners = 10;
EventEmitter.listenerCount = (emitter, type) => emitter.listenerCount(type);

function add(self: EventEmitter, type: EventName, listener: Wrapped, prepend: boolean): EventEmitter {
  if (typeof listener !== 'function') throw new TypeError('The "listener" argument must be of type Function');
  const events = eventsOf(self);
  // Node announces a new listener before adding it.
  if (events.has('newListener')) self.emit('newListener', type, listener.listener ?? listener);
  const list = events.get(type) ?? [];
  events.set(type, prepend ? [listener, ...list] : [...list, listener]);
  return self;
}

function onceWrapper(self: EventEmitter, type: EventName, listener: Listener): Wrapped {
  let fired = false;
  const wrapped: Wrapped = function (this: unknown, ...args: unknown[]) {
    if (fired) return;
    fired = true;
    self.removeListener(type, wrapped);
    listener.apply(self, args);
  };
  wrapped.listener = listener;
  return wrapped;
}

const proto: EventEmitter = {
  on(type, listener) {
    return add(this, type, listener, false);
  },
  addListener(type, listener) {
    return add(this, type, listener, false);
  },
  prependListener(type, listener) {
    return add(this, type, listener, true);
  },
  once(type, listener) {
    return add(this, type, onceWrapper(this, type, listener), false);
  },
  prependOnceListener(type, listener) {
    return add(this, type, onceWrapper(this, type, listener), true);
  },
  removeListener(type, listener) {
    const events = eventsOf(this);
    const list = events.get(type);
    if (!list) return this;
    // Like Node: the most recently added matching listener goes.
    for (let i = list.length - 1; i >= 0; i -= 1) {
      const candidate = list[i];
      if (candidate === listener || candidate?.listener === listener) {
        const next = [...list.slice(0, i), ...list.slice(i + 1)];
        if (next.length) events.set(type, next);
        else events.delete(type);
        if (events.has('removeListener')) this.emit('removeListener', type, listener);
        break;
      }
    }
    return this;
  },
  off(type, listener) {
    return this.removeListener(type, listener);
  },
  removeAllListeners(type) {
    const events = eventsOf(this);
    if (type === undefined) events.clear();
    else events.delete(type);
    return this;
  },
  emit(type, ...args) {
    const list = eventsOf(this).get(type);
    if (!list || list.length === 0) {
      if (type === 'error') {
        const err = args[0];
        throw err instanceof Error ? err : new Error(`Unhandled error. (${String(err)})`);
      }
      return false;
    }
    // A copy: listeners added or removed during emit do not change this round.
    for (const listener of [...list]) listener.apply(this, args);
    return true;
  },
  listeners(type) {
    return (eventsOf(this).get(type) ?? []).map((l) => l.listener ?? l);
  },
  rawListeners(type) {
    return [...(eventsOf(this).get(type) ?? [])];
  },
  listenerCount(type) {
    return eventsOf(this).get(type)?.length ?? 0;
  },
  eventNames() {
    return [...eventsOf(this).keys()];
  },
  setMaxListeners(n) {
    (this as State).__maxListeners = n;
    return this;
  },
  getMaxListeners() {
    return (this as State).__maxListeners ?? EventEmitter.defaultMaxListeners;
  },
};
EventEmitter.prototype = proto;
Object.defineProperty(proto, 'constructor', { value: EventEmitter, enumerable: false, writable: true, configurable: true });

/** `events.once(emitter, name)`: resolves with the arguments of the next event, rejects on 'error'. */
export function once(emitter: EventEmitter, type: EventName): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const onError = (err: unknown) => {
      emitter.removeListener(type, onEvent);
      reject(err);
    };
    const onEvent = (...args: unknown[]) => {
      emitter.removeListener('error', onError);
      resolve(args);
    };
    emitter.once(type, onEvent);
    if (type !== 'error') emitter.once('error', onError);
  });
}

export default EventEmitter;
