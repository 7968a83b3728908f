interface Waiting<T> {
  row: T;
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * Group commit: rows added while the event loop handles one batch of socket reads are written
 * together in one statement (one transaction), and rows added while a write is in progress go in
 * the next one. `add` resolves only once its row is committed, so whoever waits on it may then
 * acknowledge it; promises resolve in the order the rows were added. If a batch fails, its rows
 * are retried one by one so one bad row fails alone.
 */
export class GroupCommit<T> {
  private waiting: Waiting<T>[] = [];
  private scheduled = false;
  private writing: Promise<void> | null = null;

  constructor(
    private readonly write: (rows: T[]) => Promise<void>,
    private readonly maxBatch = 256,
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
    // setImmediate runs after the I/O callbacks of this loop turn: every frame read now joins.
    setImmediate(() => {
      this.scheduled = false;
      this.writing = this.drain().finally(() => {
        this.writing = null;
        // Rows added between the drain's last check and now (from continuations it resolved).
        if (this.waiting.length > 0) this.schedule();
      });
    });
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
