/** Anything ordered by arrival: older enqueuedAt first, then enqueue sequence (unique per engine). */
export interface Ordered {
  readonly enqueuedAt: number;
  readonly seq: number;
}

export function isBefore(a: Ordered, b: Ordered): boolean {
  return a.enqueuedAt < b.enqueuedAt || (a.enqueuedAt === b.enqueuedAt && a.seq < b.seq);
}

/**
 * A FIFO that stays sorted by (enqueuedAt, seq). Arrivals are nearly always the newest, so insert is
 * a push; a withdrawn offer goes back to its old place by binary search. Removal finds the element
 * by binary search (the key is unique) and splices: a memmove of at most the queue's length, cheap
 * next to the 5 ms budget even at 10,000 items. rank() gives the 0-based position in O(log n).
 */
export class OrderedList<T extends Ordered> {
  private readonly items: T[] = [];

  get length(): number {
    return this.items.length;
  }

  first(): T | undefined {
    return this.items[0];
  }

  at(index: number): T | undefined {
    return this.items[index];
  }

  insert(x: T): void {
    const last = this.items[this.items.length - 1];
    if (last === undefined || !isBefore(x, last)) this.items.push(x);
    else this.items.splice(this.lowerBound(x), 0, x);
  }

  remove(x: T): boolean {
    if (this.items[0] === x) {
      this.items.shift();
      return true;
    }
    const i = this.lowerBound(x);
    if (this.items[i] !== x) return false;
    this.items.splice(i, 1);
    return true;
  }

  /** 0-based index of x, or -1 when it is not in the list. */
  rank(x: T): number {
    const i = this.lowerBound(x);
    return this.items[i] === x ? i : -1;
  }

  [Symbol.iterator](): Iterator<T> {
    return this.items[Symbol.iterator]();
  }

  /** Index of the first element not before x. */
  private lowerBound(x: Ordered): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (isBefore(this.items[mid]!, x)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
