import { DomainError } from '../../kernel/errors';
import { ChangeLanes } from './change-lanes';

const shuttingDown = () => new DomainError('conflict', 'The server is shutting down. Reconnect in a moment.');

/**
 * How the service runs changes (see change-lanes.ts for their order): refused once the server is
 * stopping, and in a background variant for timers and hooks whose failures go to the log.
 */
export class ChangeRunner {
  private readonly lanes = new ChangeLanes();
  private stopped = false;

  constructor(private readonly log?: { error(obj: object, msg: string): void }) {}

  /** Whether stop() was called: timers are no longer armed. */
  get stopping(): boolean {
    return this.stopped;
  }

  /** Runs a change after every change queued before it, alone. */
  run<T>(task: () => Promise<T> | T): Promise<T> {
    if (this.stopped) return Promise.reject(shuttingDown());
    return this.lanes.exclusive(task);
  }

  /** Runs a change that concerns one interaction only, in its lane. */
  runFor<T>(interactionId: string, task: () => Promise<T> | T): Promise<T> {
    if (this.stopped) return Promise.reject(shuttingDown());
    return this.lanes.lane(interactionId, task);
  }

  /** Like run, for timers and hooks: never rejects, failures go to the log. */
  background(what: string, task: () => Promise<void> | void): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return this.run(task).catch((err: unknown) => this.log?.error({ err }, `interactions: ${what} failed`));
  }

  /** Like runFor, for hooks about one interaction: never rejects, failures go to the log. */
  backgroundFor(interactionId: string, what: string, task: () => Promise<void> | void): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return this.runFor(interactionId, task).catch((err: unknown) => this.log?.error({ err }, `interactions: ${what} failed`));
  }

  /** Refuses every change from now on (the server is stopping); idle() then waits for those queued. */
  stop(): void {
    this.stopped = true;
  }

  idle(): Promise<void> {
    return this.lanes.idle();
  }
}
