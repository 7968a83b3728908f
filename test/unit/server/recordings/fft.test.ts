import { describe, expect, it } from 'vitest';
import { fft, readTones } from '../../../support/fft';

const sine = (hz: number, rate: number, n: number, amp = 0.5) => Float64Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / rate));

describe('test FFT helper', () => {
  it('matches a direct DFT', () => {
    const n = 16;
    const input = Float64Array.from({ length: n }, (_, i) => Math.sin(i) + 0.3 * Math.cos(3 * i));
    const re = Float64Array.from(input);
    const im = new Float64Array(n);
    fft(re, im);
    for (let k = 0; k < n; k += 1) {
      let dr = 0;
      let di = 0;
      for (let t = 0; t < n; t += 1) {
        dr += input[t]! * Math.cos((-2 * Math.PI * k * t) / n);
        di += input[t]! * Math.sin((-2 * Math.PI * k * t) / n);
      }
      expect(re[k]).toBeCloseTo(dr, 9);
      expect(im[k]).toBeCloseTo(di, 9);
    }
  });

  it('finds a tone far above the noise floor and not the absent one', () => {
    const noise = Float64Array.from({ length: 4000 }, (_, i) => 0.001 * Math.sin(i * 12.9898) * 43758.5453 % 0.001);
    const samples = sine(440, 16000, 4000).map((v, i) => v + noise[i]!);
    const reading = readTones(samples, 16000, [440, 3000]);
    expect(reading.tones[440]! / Math.max(reading.noiseFloor, 1e-9)).toBeGreaterThan(100);
    expect(reading.tones[3000]!).toBeLessThan(reading.tones[440]! / 100);
  });
});
