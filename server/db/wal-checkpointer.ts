import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Moves SQLite's WAL checkpoints off the event loop.
 *
 * SQLite's automatic checkpoint runs inside whichever COMMIT pushes the WAL past 1,000 pages, on the
 * thread that commits, and with synchronous=NORMAL it ends with an fsync of the database file. On
 * this machine that stalled every chat delivery behind it for 20–50 ms (bench/chat's p99). So the
 * server's own connection turns automatic checkpoints off and a worker thread with a second
 * connection runs PASSIVE checkpoints on a timer: they never block the writer or readers, and the
 * WAL still restarts from its beginning once a checkpoint has caught up.
 */
export interface CheckpointResult {
  /** Frames in the WAL when the checkpoint ran, and how many of them are now in the database file. */
  walFrames: number;
  checkpointed: number;
  /** A TRUNCATE checkpoint could not finish (a reader or writer held the WAL past the busy timeout). */
  busy: boolean;
}

/** PASSIVE never waits (the timer's); TRUNCATE waits for readers, then empties the WAL file (after an erase). */
export type CheckpointMode = 'PASSIVE' | 'TRUNCATE';

export interface WalCheckpointer {
  /** Runs one checkpoint now (waits for one already running; a TRUNCATE runs after it). */
  checkpointNow(mode?: CheckpointMode): Promise<CheckpointResult>;
  /** Stops the timer and the worker; the last connection's close checkpoints the rest. */
  stop(): Promise<void>;
}

// Plain CommonJS so the worker needs no TypeScript loader, in development or in a build.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driverPath);
const db = new SQLite(workerData.file);
db.pragma('busy_timeout = 1000');
parentPort.on('message', (msg) => {
  if (msg === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  const { id, mode } = msg;
  try {
    const [row] = db.pragma(mode === 'TRUNCATE' ? 'wal_checkpoint(TRUNCATE)' : 'wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ id, walFrames: row.log, checkpointed: row.checkpointed, busy: row.busy });
  } catch (err) {
    parentPort.postMessage({ id, error: String(err && err.message || err) });
  }
});
`;

export function startWalCheckpointer(opts: {
  file: string;
  intervalMs: number;
  onError: (message: string) => void;
}): WalCheckpointer {
  const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file: opts.file, driverPath } });
  worker.unref(); // a checkpoint in progress never keeps the process alive
  const pending = new Map<number, { resolve(r: CheckpointResult): void; reject(e: Error): void }>();
  let nextId = 0;
  let running: Promise<CheckpointResult> | null = null;
  let stopped = false;

  worker.on('message', (msg: { id: number; walFrames?: number; checkpointed?: number; busy?: number; error?: string }) => {
    const waiter = pending.get(msg.id);
    pending.delete(msg.id);
    if (msg.error !== undefined) waiter?.reject(new Error(msg.error));
    else waiter?.resolve({ walFrames: msg.walFrames ?? 0, checkpointed: msg.checkpointed ?? 0, busy: Boolean(msg.busy) });
  });
  worker.on('error', (err) => opts.onError(`WAL checkpoint worker failed: ${err.message}`));
  worker.on('exit', () => {
    for (const waiter of pending.values()) waiter.reject(new Error('WAL checkpoint worker stopped'));
    pending.clear();
  });

  const send = (mode: CheckpointMode): Promise<CheckpointResult> =>
    new Promise<CheckpointResult>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, mode });
    });
  const checkpointNow = async (mode: CheckpointMode = 'PASSIVE'): Promise<CheckpointResult> => {
    if (stopped) throw new Error('WAL checkpointer is stopped');
    if (mode === 'TRUNCATE') {
      // After whatever runs now, so it sees every commit made before this call.
      await running?.catch(() => undefined);
      return send('TRUNCATE');
    }
    running ??= send('PASSIVE').finally(() => {
      running = null;
    });
    return running;
  };

  const timer = setInterval(() => {
    if (running) return; // the previous one is still syncing: skip a beat rather than queue up
    checkpointNow().catch((err: unknown) => opts.onError(`WAL checkpoint failed: ${err instanceof Error ? err.message : String(err)}`));
  }, opts.intervalMs);
  timer.unref();

  return {
    checkpointNow,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
      // Close the worker's connection cleanly; terminate only if it does not exit in time. Both are
      // kept referenced meanwhile: else a script whose last work is closing the server exits (code 0
      // or 13, an unsettled await) before the database is closed.
      worker.ref();
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage('close');
      let cut: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => (cut = setTimeout(() => resolve('timeout'), 2000)));
      if ((await Promise.race([exited, timeout])) === 'timeout') await worker.terminate();
      clearTimeout(cut);
    },
  };
}
