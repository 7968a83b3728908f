import { z } from 'zod';

/**
 * Screen recording (issue 20): the agent's app records the screen it is allowed to, through the
 * same crop/mask pipeline as screen sharing, in 1 s VP8/VP9 WebM chunks uploaded like call audio.
 * The org's policy says when and who may view. Secure pause stops it at the source with the rest.
 * See docs/recordings.md, "Screen recording".
 */

/**
 * `off`; `calls`: every recorded-or-not connected call; `calls_and_chats`: calls, and every chat the
 * agent accepts; `sampled`: `samplePercent` % of calls and of chats, drawn for each as the call
 * connects or the chat is accepted.
 */
export const ScreenRecordingMode = z.enum(['off', 'calls', 'calls_and_chats', 'sampled']);
export type ScreenRecordingMode = z.infer<typeof ScreenRecordingMode>;

/** Who may view screen recordings: supervisors, admins, and `agent` for an agent's own. */
export const ScreenViewerRole = z.enum(['supervisor', 'admin', 'agent']);
export type ScreenViewerRole = z.infer<typeof ScreenViewerRole>;

export const MIN_SCREEN_FPS = 1;
export const MAX_SCREEN_FPS = 5;
export const DEFAULT_SCREEN_FPS = 2;

export const ScreenRecordingPolicy = z
  .strictObject({
    mode: ScreenRecordingMode,
    /** Used by `sampled` only: the share of calls and chats recorded, 1 to 100. */
    samplePercent: z.number().int().min(1).max(100),
    /** Roles that may view; nobody else learns a screen recording exists (404). */
    viewerRoles: z.array(ScreenViewerRole).max(3),
    /** Frames per second captured and encoded (default 2). */
    fps: z.number().int().min(MIN_SCREEN_FPS).max(MAX_SCREEN_FPS),
  })
  .refine((p) => new Set(p.viewerRoles).size === p.viewerRoles.length, { message: 'Each viewer role once.', path: ['viewerRoles'] });
export type ScreenRecordingPolicy = z.infer<typeof ScreenRecordingPolicy>;

export const DEFAULT_SCREEN_RECORDING_POLICY: ScreenRecordingPolicy = { mode: 'off', samplePercent: 10, viewerRoles: ['supervisor', 'admin'], fps: DEFAULT_SCREEN_FPS };

/** What the agent's app records the screen with (VP9 when the browser has no VP8 encoder for MediaRecorder). */
export const SCREEN_RECORDING_MIME_TYPE = 'video/webm;codecs=vp8';

/** In `recording.state`: the call's screen recording, while there is one. */
export const ScreenRecordingState = z.object({
  recordingId: z.string().min(1).max(64),
  fps: z.number().int().min(MIN_SCREEN_FPS).max(MAX_SCREEN_FPS),
});
export type ScreenRecordingState = z.infer<typeof ScreenRecordingState>;
