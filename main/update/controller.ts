import path from 'node:path';
import type { InstallUpdateAnswer, UpdateStatus } from '../../shared/bridge/desktop-bridge';
import { type Logger, silentLogger } from '../log';
import { verifyDownloadedUpdate } from './verify';

/** What the feed says about a release (electron-updater's UpdateInfo, the part used here). */
export interface UpdateInfoLike {
  version: string;
  files?: ReadonlyArray<{ url: string; sha512?: string }>;
  sha512?: string;
}

export interface DownloadedUpdateLike extends UpdateInfoLike {
  /** Where electron-updater put the verified download. */
  downloadedFile: string;
}

/**
 * The part of electron-updater's autoUpdater this app drives. main.ts passes the real one; tests
 * pass one backed by a local feed, so the policy is tested without Electron.
 */
export interface UpdaterPort {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  setFeedURL(options: { provider: 'generic'; url: string }): void;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  on(event: 'checking-for-update', listener: () => void): unknown;
  on(event: 'update-available', listener: (info: UpdateInfoLike) => void): unknown;
  on(event: 'update-not-available', listener: () => void): unknown;
  on(event: 'update-downloaded', listener: (info: DownloadedUpdateLike) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface UpdateControllerOptions {
  updater: UpdaterPort;
  /** An https feed (feed-config.ts). */
  feedUrl: string;
  log?: Logger;
  /** How often to look for a new release; 6 hours by default. */
  checkEveryMs?: number;
  verify?: typeof verifyDownloadedUpdate;
  timers?: { setInterval(fn: () => void, ms: number): unknown; clearInterval(handle: unknown): void };
}

export const INTERACTION_LIVE_REASON =
  'Finish the current chat or call first. The update installs when you choose it afterwards, or when Veildesk closes.';
const NOT_READY_REASON = 'No update is ready to install.';

export function disabledUpdateStatus(reason: string): UpdateStatus {
  return { state: 'disabled', version: null, interactionLive: false, canInstallNow: false, message: reason };
}

/** The sha512 the feed gave for the file electron-updater downloaded, if it can tell which. */
function expectedSha512(info: DownloadedUpdateLike): string | null {
  const name = path.basename(info.downloadedFile);
  const file = info.files?.find((f) => path.posix.basename(f.url.split('?')[0] ?? '') === name);
  return file?.sha512 ?? (info.files?.length === 1 ? (info.files[0]?.sha512 ?? null) : (info.sha512 ?? null));
}

/**
 * The update policy. Checks the feed at start and every few hours; downloads in the background
 * (electron-updater checks the sha512 as it downloads); checks the file again when it is done and
 * before installing. Installs only when the app quits, or when the agent chooses and no chat or
 * call is live: never during an interaction.
 */
export class UpdateController {
  private state: UpdateStatus['state'] = 'idle';
  private version: string | null = null;
  private message: string | null = null;
  private interactionLive = false;
  private downloaded: DownloadedUpdateLike | null = null;
  private timer: unknown = null;
  private readonly listeners = new Set<(status: UpdateStatus) => void>();
  private readonly log: Logger;
  private readonly verify: typeof verifyDownloadedUpdate;

  constructor(private readonly options: UpdateControllerOptions) {
    this.log = options.log ?? silentLogger;
    this.verify = options.verify ?? verifyDownloadedUpdate;
  }

  start(): void {
    const { updater } = this.options;
    updater.autoDownload = true;
    // Quitting ends any interaction, so installing then never interrupts one.
    updater.autoInstallOnAppQuit = true;
    updater.setFeedURL({ provider: 'generic', url: this.options.feedUrl });
    updater.on('checking-for-update', () => this.set('checking', this.version, null));
    updater.on('update-not-available', () => this.set(this.downloaded ? 'ready' : 'idle', this.downloaded?.version ?? null, null));
    updater.on('update-available', (info) => this.set('downloading', info.version, `Downloading Veildesk ${info.version} in the background.`));
    updater.on('update-downloaded', (info) => void this.downloadedUpdate(info));
    updater.on('error', (error) => {
      this.log.warn('update failed', { error: error.message });
      this.downloaded = null;
      this.set('error', this.version, `The update could not be downloaded: ${error.message}. Veildesk tries again later.`);
    });
    this.check();
    const timers = this.options.timers ?? { setInterval, clearInterval: (h: unknown) => clearInterval(h as NodeJS.Timeout) };
    this.timer = timers.setInterval(() => this.check(), this.options.checkEveryMs ?? 6 * 60 * 60 * 1000);
    (this.timer as { unref?: () => void } | null)?.unref?.();
  }

  stop(): void {
    if (this.timer === null) return;
    const timers = this.options.timers ?? { setInterval, clearInterval: (h: unknown) => clearInterval(h as NodeJS.Timeout) };
    timers.clearInterval(this.timer);
    this.timer = null;
  }

  check(): void {
    // A check during a download or with an update ready would only repeat it.
    if (this.state === 'downloading' || this.state === 'ready') return;
    this.options.updater.checkForUpdates().catch((error: unknown) => {
      this.log.warn('update check failed', { error: String(error) });
    });
  }

  setInteractionLive(live: boolean): void {
    if (this.interactionLive === live) return;
    this.interactionLive = live;
    this.emit();
  }

  status(): UpdateStatus {
    return {
      state: this.state,
      version: this.version,
      interactionLive: this.interactionLive,
      canInstallNow: this.state === 'ready' && !this.interactionLive,
      message: this.message,
    };
  }

  onStatus(listener: (status: UpdateStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The agent chose to install now. */
  async installNow(): Promise<InstallUpdateAnswer> {
    if (this.interactionLive) return { installing: false, reason: INTERACTION_LIVE_REASON };
    const update = this.downloaded;
    if (this.state !== 'ready' || !update) return { installing: false, reason: NOT_READY_REASON };
    if (!(await this.verified(update))) return { installing: false, reason: this.message };
    // Checked again: the interaction may have started while the file was being hashed.
    if (this.interactionLive) return { installing: false, reason: INTERACTION_LIVE_REASON };
    this.log.info('installing update at the agent\'s request', { version: update.version });
    this.options.updater.quitAndInstall(false, true);
    return { installing: true, reason: null };
  }

  private async downloadedUpdate(info: DownloadedUpdateLike): Promise<void> {
    if (!(await this.verified(info))) return;
    this.downloaded = info;
    this.set('ready', info.version, `Veildesk ${info.version} is ready. It installs when Veildesk closes, or now if you restart it.`);
  }

  /** True when the file matches the feed's sha512; else the update is dropped and says why. */
  private async verified(info: DownloadedUpdateLike): Promise<boolean> {
    const expected = expectedSha512(info);
    if (expected === null) {
      // electron-updater verified it while downloading; nothing here to compare with.
      this.log.info('update verified by electron-updater only (no matching file entry)', { version: info.version });
      return true;
    }
    const result = await this.verify(info.downloadedFile, expected);
    if (result.ok) return true;
    this.log.error('update refused', { version: info.version, reason: result.reason });
    this.downloaded = null;
    this.set('error', info.version, `The update was refused: ${result.reason}.`);
    return false;
  }

  private set(state: UpdateStatus['state'], version: string | null, message: string | null): void {
    this.state = state;
    this.version = version;
    this.message = message;
    this.emit();
  }

  private emit(): void {
    const status = this.status();
    for (const listener of this.listeners) listener(status);
  }
}
