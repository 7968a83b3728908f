/**
 * Events main sends to the renderer (ipcRenderer.on), beside the invoke channels of ipc.ts. No
 * imports: the sandboxed preload bundle takes this value and must stay free of zod.
 */

/** The global secure-pause hotkey was pressed; the preload turns it into the bridge's onSecurePauseHotkey. Named before the pause covered more than recording. */
export const SECURE_PAUSE_EVENT = 'recording:toggle-pause';

/** An offer notification was clicked; sent with the offer's interaction id (the preload checks it is a plain id). */
export const OFFER_NOTIFICATION_CLICK_EVENT = 'offer:notification-click';
