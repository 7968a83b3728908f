import { ExternalUrl } from '../shared/bridge/desktop-bridge';
import { type Logger, silentLogger } from './log';

/** The part of Electron's shell this module uses. */
export interface ExternalShell {
  openExternal(url: string, options?: { activate?: boolean }): Promise<void>;
}

/**
 * The one way a link leaves the app: an https URL (zod, shared/bridge ExternalUrl) that the user
 * clicked. Only the preload calls it, and only from a trusted click or while the page holds a user
 * activation (preload/link-clicks.ts, preload/bridge.ts); navigation and window.open never do
 * (main/navigation.ts). Rejects anything else, so nothing but https reaches shell.openExternal.
 */
export function createLinkOpener(shell: ExternalShell, log: Logger = silentLogger): (url: unknown) => Promise<void> {
  return async (url) => {
    const parsed = ExternalUrl.safeParse(url);
    if (!parsed.success) {
      log.warn('refused to open a link', { reason: parsed.error.issues[0]?.message });
      throw new Error(parsed.error.issues[0]?.message ?? 'only https:// links can be opened');
    }
    // Reviewed: the argument is a zod-checked https URL from a user's click (see above).
    await shell.openExternal(parsed.data); // eng-disable OPEN_EXTERNAL_JS_CHECK
  };
}
