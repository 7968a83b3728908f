import type { CaptureSource } from '../../shared/bridge/desktop-bridge';

/** The part of Electron's DesktopCapturerSource this module reads. */
export interface CapturerSourceLike {
  id: string;
  name: string;
  thumbnail: { isEmpty(): boolean; toDataURL(): string };
}

/** The part of Electron's desktopCapturer this module drives. */
export interface CapturerLike {
  getSources(options: { types: Array<'screen' | 'window'>; thumbnailSize?: { width: number; height: number }; fetchWindowIcons?: boolean }): Promise<CapturerSourceLike[]>;
}

export const THUMBNAIL_SIZE = { width: 320, height: 180 } as const;

/**
 * Screens and windows the user may share, with thumbnails. Veildesk's own windows are left out:
 * sharing the app that shows who is watching would only echo it back.
 */
export async function listCaptureSources(capturer: CapturerLike, ownMediaSourceIds: () => string[]): Promise<CaptureSource[]> {
  const own = new Set(ownMediaSourceIds());
  const sources = await capturer.getSources({ types: ['screen', 'window'], thumbnailSize: THUMBNAIL_SIZE, fetchWindowIcons: false });
  return sources
    .filter((s) => !own.has(s.id))
    .map((s) => ({
      id: s.id,
      name: s.name.slice(0, 500),
      kind: s.id.startsWith('screen:') ? ('screen' as const) : ('window' as const),
      thumbnail: s.thumbnail.isEmpty() ? '' : s.thumbnail.toDataURL(),
    }))
    .filter((s) => s.thumbnail.length <= 2_000_000);
}
