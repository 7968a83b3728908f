import { describe, expect, it } from 'vitest';
import { mediaAt, playheadFraction, screenTimeFor, wallAt } from '../../../../renderer/features/recording/recording-api';

const T0 = Date.UTC(2030, 0, 1, 10, 0, 0);
const at = (ms: number) => new Date(T0 + ms).toISOString();
/** A 60 s call with one secure pause from 20 s to 25 s. */
const pauses = [{ startedAt: at(20_000), endedAt: at(25_000), actor: 'agent1' }];
const audio = { startedAt: at(0), endedAt: at(60_000), pauses, mediaOffsetMs: 500 };
/** The screen granted 8 s into the call. */
const screen = { startedAt: at(0), endedAt: at(60_000), pauses, mediaOffsetMs: 8_000 };

describe('lining a late screen recording up with the audio', () => {
  it('maps a position in the file to the wall clock and back, skipping pauses after the media began', () => {
    expect(wallAt(audio, 0)).toBe(500);
    expect(wallAt(audio, 19_500)).toBe(20_000);
    // Just after the pause point in the file: the wall clock is past the pause.
    expect(wallAt(audio, 19_600)).toBe(25_100);
    expect(mediaAt(audio, 25_100)).toBe(19_600);
    // Inside the pause: the file stands at the pause's start.
    expect(mediaAt(audio, 22_000)).toBe(19_500);
    expect(mediaAt(screen, 5_000)).toBe(-3_000);
  });

  it('the screen starts 7.5 s into the audio file and stays in step across the pause', () => {
    expect(screenTimeFor(audio, screen, 0)).toBe(-7_500);
    expect(screenTimeFor(audio, screen, 7_500)).toBe(0);
    expect(screenTimeFor(audio, screen, 10_000)).toBe(2_500);
    // After the pause both files skipped the same 5 s.
    expect(screenTimeFor(audio, screen, 30_000)).toBe(22_500);
    // Without offsets (an older server or app): together, as before.
    const plain = { ...audio, mediaOffsetMs: null };
    expect(screenTimeFor(plain, { ...screen, mediaOffsetMs: null }, 30_000)).toBe(30_000);
  });

  it('a pause before the screen began is not skipped by the screen', () => {
    const early = [{ startedAt: at(2_000), endedAt: at(4_000), actor: 'agent1' }];
    const a = { ...audio, pauses: early, mediaOffsetMs: 0 };
    const s = { ...screen, pauses: early, mediaOffsetMs: 6_000 };
    // 10 s into the audio file is 12 s of wall clock (2 s paused); the screen began at 6 s: 6 s in.
    expect(screenTimeFor(a, s, 10_000)).toBe(6_000);
  });

  it('the playhead starts at the media offset on the bar', () => {
    expect(playheadFraction(screen, 0)).toBeCloseTo(8_000 / 60_000);
    expect(playheadFraction(audio, 19_600)).toBeCloseTo(25_100 / 60_000);
  });
});
