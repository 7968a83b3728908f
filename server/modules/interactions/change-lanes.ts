const settled = (p: Promise<unknown>): Promise<void> =>
  p.then(
    () => undefined,
    () => undefined,
  );

/**
 * Orders changes to interactions. A change that concerns one interaction only (a chat message)
 * runs in that interaction's lane: after the lane's earlier changes, alongside other lanes, so
 * chats never wait on each other. A change that may touch any interaction or the routing state
 * (accept, end, transfer, timers) is exclusive: it starts once every change queued before it has
 * finished, and every change queued after it waits for it. Like a FIFO read/write lock per key.
 * Tasks must not wait for another task of the same lanes.
 */
export class ChangeLanes {
  private exclusiveTail: Promise<void> = Promise.resolve();
  private readonly laneTails = new Map<string, Promise<void>>();

  /** Runs after every change queued before it, with nothing else running. */
  exclusive<T>(task: () => Promise<T> | T): Promise<T> {
    const before = this.laneTails.size === 0 ? this.exclusiveTail : Promise.all([this.exclusiveTail, ...this.laneTails.values()]);
    const next = before.then(task);
    this.exclusiveTail = settled(next);
    return next;
  }

  /** Runs after the earlier changes of lane `key` and the exclusive changes queued before it. */
  lane<T>(key: string, task: () => Promise<T> | T): Promise<T> {
    const previous = this.laneTails.get(key);
    const before = previous ? Promise.all([previous, this.exclusiveTail]) : this.exclusiveTail;
    const next = before.then(task);
    const tail = settled(next);
    this.laneTails.set(key, tail);
    // An idle lane is forgotten, so exclusive changes only wait on lanes with work.
    void tail.then(() => {
      if (this.laneTails.get(key) === tail) this.laneTails.delete(key);
    });
    return next;
  }

  /** Resolves when everything queued so far has finished. */
  idle(): Promise<void> {
    return settled(Promise.all([this.exclusiveTail, ...this.laneTails.values()]));
  }
}
