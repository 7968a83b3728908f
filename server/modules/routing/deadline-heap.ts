/** A timed check the engine owes: an offer's expiry or the end of a blind transfer's window. */
export interface Deadline {
  at: number;
  kind: 'offer' | 'target';
  interactionId: string;
  /** Identifies the offer or transfer window it was made for; stale entries are skipped, not deleted. */
  token: number;
}

/** Binary min-heap on `at` (then insertion order). Entries are removed lazily by the engine. */
export class DeadlineHeap {
  private readonly heap: (Deadline & { n: number })[] = [];
  private counter = 0;

  get size(): number {
    return this.heap.length;
  }

  push(d: Deadline): void {
    const heap = this.heap;
    heap.push({ ...d, n: this.counter++ });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  peek(): Deadline | undefined {
    return this.heap[0];
  }

  pop(): Deadline | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && less(heap[r]!, heap[m]!)) m = r;
      if (m === i) break;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
    return top;
  }
}

function less(a: Deadline & { n: number }, b: Deadline & { n: number }): boolean {
  return a.at < b.at || (a.at === b.at && a.n < b.n);
}
