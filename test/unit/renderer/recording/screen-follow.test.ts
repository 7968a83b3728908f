import { describe, expect, it } from 'vitest';
import { followAudio, type FollowedMedia } from '../../../../renderer/features/recording/screen-follow';

/** A media element's timing: `run(s)` advances it by s of wall clock at its own rate while it plays; seeks are counted. */
function media(at = 0, paused = true): FollowedMedia & { seeks: number; run(s: number): void } {
  let time = at;
  let playing = !paused;
  return {
    seeks: 0,
    playbackRate: 1,
    get currentTime() {
      return time;
    },
    set currentTime(t: number) {
      time = t;
      this.seeks += 1;
    },
    get paused() {
      return !playing;
    },
    play() {
      playing = true;
      return Promise.resolve();
    },
    pause() {
      playing = false;
    },
    run(s: number) {
      if (playing) time += s * this.playbackRate;
    },
  };
}

describe('the screen following the audio', () => {
  it('at 2× speed the screen plays at 2× too and stays on the audio without re-seeks', () => {
    const audio = media(10, false);
    const video = media(8);
    audio.playbackRate = 2;
    // Play: the video is put on the audio's position (screen 2 s behind in its file) and starts.
    expect(followAudio(audio, video, audio.currentTime - 2, true)).toBe(false);
    expect(video.paused).toBe(false);
    expect(video.playbackRate).toBe(2);
    const seeksAtStart = video.seeks;
    // Ten timeupdates, 250 ms of wall clock apart: both ran 0.5 s each time.
    for (let i = 0; i < 10; i += 1) {
      audio.run(0.25);
      video.run(0.25);
      followAudio(audio, video, audio.currentTime - 2);
      expect(Math.abs(video.currentTime - (audio.currentTime - 2))).toBeLessThan(1e-9);
    }
    expect(video.seeks).toBe(seeksAtStart);
  });

  it('a rate change while playing is taken at the next follow (the rate-change event)', () => {
    const audio = media(5, false);
    const video = media(5, false);
    audio.playbackRate = 0.5;
    followAudio(audio, video, audio.currentTime);
    expect(video.playbackRate).toBe(0.5);
  });

  it('corrects a drift past 0.25 s with a seek, and leaves a smaller one', () => {
    const audio = media(10, false);
    const video = media(9.8, false);
    followAudio(audio, video, 10);
    expect(video.seeks).toBe(0);
    video.currentTime = 9.7;
    video.seeks = 0;
    followAudio(audio, video, 10);
    expect(video.seeks).toBe(1);
    expect(video.currentTime).toBe(10);
  });

  it('before the screen began it waits on its first frame, paused; the audio stopping stops it', () => {
    const audio = media(1, false);
    const video = media(0.5, false);
    expect(followAudio(audio, video, -3)).toBe(true);
    expect(video.currentTime).toBe(0);
    expect(video.paused).toBe(true);
    expect(followAudio(audio, video, 0.1, true)).toBe(false);
    expect(video.paused).toBe(false);
    followAudio(audio, video, 0.2, false);
    expect(video.paused).toBe(true);
  });
});
