import type { types } from 'mediasoup';
import type { Mediasoup } from './mediasoup-loader';

export interface WorkerPoolOptions {
  /** Workers to run (one per core by default). */
  count: number;
  rtcMinPort: number;
  rtcMaxPort: number;
  log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** A worker died: every router on it is gone. Called after its replacement started (or failed to). */
  onWorkerDied(dead: types.Worker): void;
}

interface Slot {
  worker: types.Worker | null;
  rooms: number;
}

/**
 * mediasoup workers, one process each. Rooms go to the worker with the fewest rooms. A worker that
 * dies is replaced in its slot; its rooms are the caller's to close (onWorkerDied).
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private closed = false;

  private constructor(
    private readonly mediasoup: Mediasoup,
    private readonly options: WorkerPoolOptions,
  ) {}

  static async start(mediasoup: Mediasoup, options: WorkerPoolOptions): Promise<WorkerPool> {
    const pool = new WorkerPool(mediasoup, options);
    const workers = await Promise.all(Array.from({ length: options.count }, () => pool.spawn()));
    for (const worker of workers) pool.slots.push({ worker, rooms: 0 });
    for (const slot of pool.slots) pool.watch(slot);
    return pool;
  }

  private spawn(): Promise<types.Worker> {
    return this.mediasoup.createWorker({ logLevel: 'warn', rtcMinPort: this.options.rtcMinPort, rtcMaxPort: this.options.rtcMaxPort });
  }

  private watch(slot: Slot): void {
    const worker = slot.worker;
    if (!worker) return;
    worker.on('died', (error: Error) => {
      if (this.closed || slot.worker !== worker) return;
      this.options.log.error({ pid: worker.pid, err: error.message }, 'mediasoup worker died; replacing it and closing its rooms');
      slot.worker = null;
      slot.rooms = 0;
      void this.spawn()
        .then((next) => {
          if (this.closed) return void next.close();
          slot.worker = next;
          this.watch(slot);
          this.options.log.info({ pid: next.pid }, 'mediasoup worker replaced');
        })
        .catch((err: unknown) => this.options.log.error({ err: String(err) }, 'mediasoup worker could not be replaced'))
        .finally(() => this.options.onWorkerDied(worker));
    });
  }

  /** The live worker with the fewest rooms, counted as taken; null when none runs. */
  take(): { worker: types.Worker; release(): void } | null {
    let best: Slot | null = null;
    for (const slot of this.slots) if (slot.worker && (!best || slot.rooms < best.rooms)) best = slot;
    if (!best?.worker) return null;
    const slot = best;
    const worker = best.worker;
    slot.rooms += 1;
    let released = false;
    return {
      worker,
      release: () => {
        if (released || slot.worker !== worker) return;
        released = true;
        slot.rooms = Math.max(0, slot.rooms - 1);
      },
    };
  }

  /** Live workers now. */
  get size(): number {
    return this.slots.filter((s) => s.worker).length;
  }

  workers(): types.Worker[] {
    return this.slots.flatMap((s) => (s.worker ? [s.worker] : []));
  }

  close(): void {
    this.closed = true;
    for (const slot of this.slots) slot.worker?.close();
    this.slots.length = 0;
  }
}
