import { describe, expect, it } from 'vitest';
import type { MediaRecorderLike } from '../../../../renderer/media/recorder/call-recorder';
import { SCREEN_TIMESLICE_MS, ScreenRecorder, screenMimeType } from '../../../../renderer/media/screen-recorder/screen-recorder';
import type { CropSettings } from '../../../../renderer/media/share/frame-processor';

/** One log of what happened, in order, across the capture track, the pipeline and the recorder. */
function setup(masks = [{ x: 10, y: 20, width: 30, height: 40 }]) {
  const log: string[] = [];
  const source = {
    _enabled: true,
    get enabled() {
      return this._enabled;
    },
    set enabled(v: boolean) {
      log.push(`source.enabled=${v}`);
      this._enabled = v;
    },
  };
  const settings: CropSettings[] = [];
  const fake: { -readonly [K in keyof MediaRecorderLike]: MediaRecorderLike[K] } & { emit(t: string): void } = {
    state: 'inactive',
    ondataavailable: null,
    onstop: null,
    onerror: null,
    start(timeslice) {
      log.push(`start(${timeslice})`);
      this.state = 'recording';
    },
    stop() {
      log.push('stop');
      this.emit('last');
      this.state = 'inactive';
      this.onstop?.();
    },
    pause() {
      log.push('pause');
      this.state = 'paused';
    },
    resume() {
      log.push('resume');
      this.state = 'recording';
    },
    requestData() {
      log.push('requestData');
      this.emit('cut');
    },
    emit(text: string) {
      this.ondataavailable?.({ data: new Blob([text]) });
    },
  };
  let pipelineStopped = false;
  const chunks: number[] = [];
  const recorder = new ScreenRecorder({
    source: source as unknown as MediaStreamTrack,
    size: { width: 1280, height: 720 },
    masks,
    media: {
      createPipeline: (_track, s) => {
        settings.push(s);
        return {
          track: {} as MediaStreamTrack,
          mode: 'main',
          update: (next) => {
            log.push(`pipeline.blanked=${next.blanked}`);
            settings.push(next);
          },
          stats: () => ({ framesIn: 0, framesOut: 0, path: null }),
          stop: () => void (pipelineStopped = true),
        };
      },
      createRecorder: () => fake,
      streamOf: () => ({}) as MediaStream,
    },
    onChunk: (c) => chunks.push(c.seq),
  });
  log.length = 0; // the constructor's own enabling of the capture
  return { recorder, log, settings, fake, chunks, source, pipelineStopped: () => pipelineStopped };
}

describe('ScreenRecorder', () => {
  it('records the whole screen through the pipeline with the standing masks, 1 s chunks', () => {
    const { recorder, log, settings } = setup();
    recorder.start();
    expect(log).toEqual([`start(${SCREEN_TIMESLICE_MS})`]);
    expect(settings[0]).toEqual({ region: { x: 0, y: 0, width: 1280, height: 720 }, masks: [{ x: 10, y: 20, width: 30, height: 40 }], blanked: false });
    recorder.setMasks([{ x: 0, y: 0, width: 8, height: 8 }]);
    expect(settings.at(-1)?.masks).toEqual([{ x: 0, y: 0, width: 8, height: 8 }]);
  });

  it('secure pause stops at the source first: capture disabled, pipeline blank, chunk cut, recorder paused; resume the other way round', () => {
    const { recorder, log, chunks, source } = setup();
    recorder.start();
    recorder.pause();
    expect(log.slice(1)).toEqual(['source.enabled=false', 'pipeline.blanked=true', 'requestData', 'pause']);
    expect(chunks).toEqual([0]);
    expect(source.enabled).toBe(false);
    log.length = 0;
    recorder.resume();
    expect(log).toEqual(['resume', 'pipeline.blanked=false', 'source.enabled=true']);
    // The same recording goes on: sequence numbers continue.
    recorder.flush();
    expect(chunks).toEqual([0, 1]);
  });

  it('starting paused captures nothing until resume; stop ends the pipeline and reports the last seq', async () => {
    const { recorder, log, fake, pipelineStopped } = setup([]);
    recorder.start(true);
    expect(fake.state).toBe('inactive');
    expect(log).toEqual(['source.enabled=false', 'pipeline.blanked=true']);
    recorder.resume();
    expect(fake.state).toBe('recording');
    expect(await recorder.stop()).toBe(0);
    expect(pipelineStopped()).toBe(true);
  });

  it('picks VP8, else VP9', () => {
    expect(screenMimeType(() => true)).toBe('video/webm;codecs=vp8');
    expect(screenMimeType((t) => t.endsWith('vp9'))).toBe('video/webm;codecs=vp9');
  });
});
