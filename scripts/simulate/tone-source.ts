import wrtc from '@roamhq/wrtc';

/**
 * A sine tone as a WebRTC audio track from Node (@roamhq/wrtc's RTCAudioSource), fed in 10 ms
 * frames of 48 kHz mono 16-bit PCM, which is what the source expects.
 */
export class ToneSource {
  readonly track: MediaStreamTrack;
  private readonly source = new wrtc.nonstandard.RTCAudioSource();
  private timer?: NodeJS.Timeout;
  private phase = 0;

  constructor(private frequency = 440) {
    this.track = this.source.createTrack() as unknown as MediaStreamTrack;
  }

  start(): void {
    const sampleRate = 48_000;
    const samples = sampleRate / 100;
    this.timer = setInterval(() => {
      const data = new Int16Array(samples);
      for (let i = 0; i < samples; i++) {
        data[i] = Math.round(Math.sin(this.phase) * 0.3 * 32767);
        this.phase += (2 * Math.PI * this.frequency) / sampleRate;
      }
      this.phase %= 2 * Math.PI;
      this.source.onData({ samples: data, sampleRate, bitsPerSample: 16, channelCount: 1, numberOfFrames: samples });
    }, 10);
  }

  setFrequency(hz: number): void {
    this.frequency = hz;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.track.stop();
  }
}
