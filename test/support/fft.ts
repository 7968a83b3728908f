/**
 * A small in-place radix-2 FFT and the tone measurements the recording E2E needs: is a frequency
 * present in a window of samples, compared with that window's noise floor.
 */

/** In-place iterative radix-2 FFT; `re.length` must be a power of two. */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  if ((n & (n - 1)) !== 0 || im.length !== n) throw new Error('fft: length must be a power of two');
  for (let i = 1, j = 0; i < n; i += 1) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const angle = (-2 * Math.PI) / len;
    const wRe = Math.cos(angle);
    const wIm = Math.sin(angle);
    for (let i = 0; i < n; i += len) {
      let curRe = 1;
      let curIm = 0;
      for (let k = 0; k < len / 2; k += 1) {
        const a = i + k;
        const b = a + len / 2;
        const tRe = re[b]! * curRe - im[b]! * curIm;
        const tIm = re[b]! * curIm + im[b]! * curRe;
        re[b] = re[a]! - tRe;
        im[b] = im[a]! - tIm;
        re[a] = re[a]! + tRe;
        im[a] = im[a]! + tIm;
        const next = curRe * wRe - curIm * wIm;
        curIm = curRe * wIm + curIm * wRe;
        curRe = next;
      }
    }
  }
}

/** Magnitude spectrum (bins 0..n/2) of a Hann-windowed frame, zero-padded to the next power of two. */
export function spectrum(samples: ArrayLike<number>): { mags: Float64Array; binHz: (sampleRate: number) => number } {
  let n = 1;
  while (n < samples.length) n <<= 1;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  const len = samples.length;
  for (let i = 0; i < len; i += 1) re[i] = samples[i]! * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / Math.max(1, len - 1)));
  fft(re, im);
  const mags = new Float64Array(n / 2 + 1);
  for (let i = 0; i <= n / 2; i += 1) mags[i] = Math.hypot(re[i]!, im[i]!);
  return { mags, binHz: (sampleRate) => sampleRate / n };
}

export interface ToneReading {
  /** Peak magnitude within ±spreadHz of each asked frequency. */
  tones: Record<number, number>;
  /** Median magnitude of the bins between 100 Hz and 7 kHz away from every asked frequency. */
  noiseFloor: number;
  /** RMS of the frame (0..1 for s16 samples scaled to ±1). */
  rms: number;
}

export function readTones(samples: ArrayLike<number>, sampleRate: number, frequencies: readonly number[], spreadHz = 40): ToneReading {
  const { mags, binHz } = spectrum(samples);
  const hz = binHz(sampleRate);
  const tones: Record<number, number> = {};
  for (const f of frequencies) {
    let peak = 0;
    for (let b = Math.max(0, Math.floor((f - spreadHz) / hz)); b <= Math.min(mags.length - 1, Math.ceil((f + spreadHz) / hz)); b += 1) peak = Math.max(peak, mags[b]!);
    tones[f] = peak;
  }
  const rest: number[] = [];
  for (let b = 0; b < mags.length; b += 1) {
    const f = b * hz;
    if (f < 100 || f > 7000) continue;
    if (frequencies.some((t) => Math.abs(f - t) < 3 * spreadHz)) continue;
    rest.push(mags[b]!);
  }
  rest.sort((a, b) => a - b);
  let sum = 0;
  for (let i = 0; i < samples.length; i += 1) sum += samples[i]! * samples[i]!;
  return { tones, noiseFloor: rest[Math.floor(rest.length / 2)] ?? 0, rms: Math.sqrt(sum / Math.max(1, samples.length)) };
}

/** s16le mono bytes → samples scaled to ±1. */
export function s16leToFloat(buffer: Buffer): Float64Array {
  const out = new Float64Array(Math.floor(buffer.length / 2));
  for (let i = 0; i < out.length; i += 1) out[i] = buffer.readInt16LE(i * 2) / 32768;
  return out;
}
