import type { types } from 'mediasoup';

/**
 * Codecs every media room's router offers: Opus for call audio, VP8 for screen shares (every
 * Chromium encodes it in software at any size; no profile negotiation to get wrong).
 */
export const ROOM_CODECS: types.RtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000, parameters: {} },
];
