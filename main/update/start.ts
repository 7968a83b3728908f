import type { UpdateDeps } from '../ipc/handlers';
import { type Logger, silentLogger } from '../log';
import { UpdateController, type UpdaterPort } from './controller';
import { chooseFeedUrl } from './feed-config';

export interface StartUpdatesOptions {
  /** app.isPackaged: a development run has no installer to replace. */
  isPackaged: boolean;
  env: NodeJS.ProcessEnv;
  /** updateFeedUrl from settings.json. */
  readFeedSetting(): Promise<string | undefined>;
  /** Loads electron-updater's autoUpdater; only called when a feed is configured. */
  loadUpdater(): Promise<UpdaterPort>;
  log?: Logger;
}

/**
 * What the update IPC channels talk to, available at once. Until the feed is read, and when there is
 * none, they answer "off" with why; the renderer's interaction state is kept so the controller
 * starts with it.
 */
export function startUpdates(options: StartUpdatesOptions): UpdateDeps & { ready: Promise<UpdateController | null> } {
  const log = options.log ?? silentLogger;
  let controller: UpdateController | null = null;
  let interactionLive = false;
  let offReason = options.isPackaged ? 'Automatic updates are starting.' : 'Automatic updates are off in a development build.';

  const ready = (async (): Promise<UpdateController | null> => {
    if (!options.isPackaged) return null;
    const choice = chooseFeedUrl(options.env, await options.readFeedSetting());
    if (choice.url === null) {
      offReason = `Automatic updates are off: ${choice.reason}.`;
      log.info('automatic updates off', { reason: choice.reason });
      return null;
    }
    const started = new UpdateController({ updater: await options.loadUpdater(), feedUrl: choice.url, log });
    started.setInteractionLive(interactionLive);
    started.start();
    controller = started;
    return started;
  })().catch((error: unknown) => {
    offReason = 'Automatic updates could not start.';
    log.error('automatic updates could not start', { error: String(error) });
    return null;
  });

  return {
    ready,
    setInteractionLive: (live) => {
      interactionLive = live;
      controller?.setInteractionLive(live);
    },
    status: () => controller?.status() ?? { state: 'disabled', version: null, interactionLive, canInstallNow: false, message: offReason },
    installNow: async () => (controller ? controller.installNow() : { installing: false, reason: offReason }),
  };
}
