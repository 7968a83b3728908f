import { type DesktopBridge } from '../../shared';
import { createWebBridge } from './web-bridge';

declare global {
  interface Window {
    /** Exposed by the Electron preload through contextBridge; absent in a plain browser. */
    readonly veildesk?: DesktopBridge;
  }
}

let cached: DesktopBridge | null = null;

/** The host bridge: Electron's preload when present, else the web implementation. */
export function getBridge(): DesktopBridge {
  if (cached) return cached;
  const desktop = typeof window === 'undefined' ? undefined : window.veildesk;
  cached = desktop ?? createWebBridge();
  return cached;
}

export { createWebBridge } from './web-bridge';
