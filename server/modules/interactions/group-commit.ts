interface Waiting<T> {
  row: T;
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * Group commit: rows added while the event loop handles one batch of socket reads are written
 * together in one statement (one transaction), and rows added while a write is in progress go in
 * the next one. Under load, a write never starts less than `gapMs` after the previous one ended:
 * the rows of the turns in between wait and go together, so a saturated server pays one commit
 * per `gapMs` instead of one per turn (an idle one writes at once: no added latency). `add`
 * resolves only once its row is committed, so whoever waits on it may then acknowledge it;
 * promises resolve in the order the rows were added. If a batch fails, its rows are retried one
 * by one so one bad row fails alone.
 */
export class GroupCommit<T> {
  private waiting: Waiting<T>[] = [];
  private scheduled = false;
  private writing: Promise<void> | null = null;
  /** When the last write ended (performance.now()). */
  private lastWriteEnd = -Infinity;

  constructor(
    private readonly write: (rows: T[]) => Promise<void>,
    private readonly maxBatch = 256,
    private readonly gapMs = 0,
  ) {}

  add(row: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ row, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves once every row added so far is written (or failed). */
  async idle(): Promise<void> {
    while (this.writing || this.scheduled) await (this.writing ?? new Promise((r) => setImmediate(r)));
  }

  private schedule(): void {
    if (this.scheduled || this.writing) return;
    this.scheduled = true;
    const start = () => {
      this.scheduled = false;
      this.writing = this.drain().finally(() => {
        this.writing = null;
        this.lastWriteEnd = performance.now();
        // Rows added between the drain's last check and now (from continuations it resolved).
        if (this.waiting.length > 0) this.schedule();
      });
    };
    const wait = this.lastWriteEnd + this.gapMs - performance.now();
    // setImmediate runs after the I/O callbacks of this loop turn: every frame read now joins.
    if (wait > 0) setTimeout(start, wait);
    else setImmediate(start);
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      try {
        await this.write(batch.map((w) => w.row));
        for (const w of batch) w.resolve();
      } catch (err) {
        if (batch.length === 1) batch[0]!.reject(err);
        else await this.oneByOne(batch);
      }
    }
  }

  private async oneByOne(batch: Waiting<T>[]): Promise<void> {
    for (const w of batch) {
      try {
        await this.write([w.row]);
        w.resolve();
      } catch (err) {
        w.reject(err);
      }
    }
  }
}
