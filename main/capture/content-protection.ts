import type { CaptureProtection } from '../../shared/bridge/desktop-bridge';

/** Platforms where setContentProtection keeps a window out of screen captures. */
export function contentProtectionSupported(platform: string): boolean {
  return platform === 'win32' || platform === 'darwin';
}

export function captureProtection(platform: string): CaptureProtection {
  if (contentProtectionSupported(platform)) return { ownWindowsHidden: true };
  return {
    ownWindowsHidden: false,
    reason:
      platform === 'linux'
        ? 'On Linux, Veildesk cannot hide its own windows from screen captures: if you share a whole screen, viewers may see this window. Share another window, or cover it with a mask.'
        : 'This system cannot hide Veildesk’s own windows from screen captures: viewers may see them if they are on the shared screen.',
  };
}

export interface ProtectableWindow {
  setContentProtection(enable: boolean): void;
}

/** Hides the window from captures where the OS supports it; returns whether it did. */
export function protectWindow(window: ProtectableWindow, platform: string): boolean {
  if (!contentProtectionSupported(platform)) return false;
  window.setContentProtection(true);
  return true;
}
