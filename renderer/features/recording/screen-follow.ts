/** What the player's screen-following uses of a media element (plain objects in unit tests). */
export interface FollowedMedia {
  currentTime: number;
  playbackRate: number;
  readonly paused: boolean;
  play(): Promise<void>;
  pause(): void;
}

/** How far the screen may drift from the audio before it is re-set (a seek makes it stutter). */
export const SCREEN_DRIFT_S = 0.25;

/**
 * Moves the screen's video to follow the audio: `target` is where the screen's file should be (s,
 * screenTimeFor; negative before the screen began: it waits on its first frame). `play` says the
 * audio just started (true) or stopped (false); otherwise the video plays while the audio does. The
 * video runs at the audio's speed (its controls offer 0.5× to 2×): at another speed it would fall
 * behind or run ahead and be seeked back every timeupdate. Returns whether the screen is waiting.
 */
export function followAudio(audio: FollowedMedia, video: FollowedMedia, target: number, play?: boolean): boolean {
  if (target < 0) {
    if (video.currentTime !== 0) video.currentTime = 0;
    if (!video.paused) video.pause();
    return true;
  }
  if (video.playbackRate !== audio.playbackRate) video.playbackRate = audio.playbackRate;
  if (Math.abs(video.currentTime - target) > SCREEN_DRIFT_S) video.currentTime = target;
  if ((play === true || (play === undefined && !audio.paused)) && video.paused) void video.play().catch(() => undefined);
  if (play === false) video.pause();
  return false;
}
