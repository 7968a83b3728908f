import { z } from 'zod';
import { AppInfo, BadgeCount, CaptureProtection, CaptureSource, CaptureSourceId, ExternalUrl, InstallUpdateAnswer, LocalDataKeyAnswer, LocalDataScope, LocalDataSessionProof, OfferNotification, ServerUrl, UpdateStatus } from './desktop-bridge';

/**
 * The IPC contract between preload and main: one entry per invoke channel, with the schema of the
 * request and of the response. Main validates every request against it; the preload only forwards.
 */
export const IpcContract = {
  'app:info': { request: z.tuple([]), response: AppInfo },
  'settings:get-server-url': { request: z.tuple([]), response: z.string() },
  'settings:set-server-url': { request: z.tuple([ServerUrl]), response: z.void() },
  'shell:open-external': { request: z.tuple([ExternalUrl]), response: z.void() },
  // Whether a chat or call is live: main never installs an update while it is.
  'update:interaction-live': { request: z.tuple([z.boolean()]), response: z.void() },
  'update:status': { request: z.tuple([]), response: UpdateStatus },
  'update:install-now': { request: z.tuple([]), response: InstallUpdateAnswer },
  'capture:list-sources': { request: z.tuple([]), response: z.array(CaptureSource) },
  'capture:select-source': { request: z.tuple([CaptureSourceId]), response: z.void() },
  'capture:protection': { request: z.tuple([]), response: CaptureProtection },
  'local-data:bind-user': { request: z.tuple([LocalDataSessionProof]), response: z.void() },
  'local-data:release-user': { request: z.tuple([]), response: z.void() },
  'local-data:key': { request: z.tuple([LocalDataScope]), response: LocalDataKeyAnswer },
  'local-data:forget-key': { request: z.tuple([LocalDataScope]), response: z.void() },
  // Offer alerts: an OS notification for a new offer, and the dock/taskbar badge.
  'notify:offer': { request: z.tuple([OfferNotification]), response: z.void() },
  'app:set-badge-count': { request: z.tuple([BadgeCount]), response: z.void() },
} as const;

export type IpcChannel = keyof typeof IpcContract;
export type IpcRequest<C extends IpcChannel> = z.infer<(typeof IpcContract)[C]['request']>;
export type IpcResponse<C extends IpcChannel> = z.infer<(typeof IpcContract)[C]['response']>;
export const IPC_CHANNELS = Object.keys(IpcContract) as IpcChannel[];

/** What an IPC handler answers: a value, or an error the renderer can show. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
