import type { Page } from '@playwright/test';

/**
 * Init script: getUserMedia({audio}) answers with a WebAudio oscillator instead of a microphone, so
 * a test knows exactly what each side sends. The frequency is read from `window.__toneHz` (default
 * 440) and can be changed live through `window.__setToneHz(hz)`.
 */
export function oscillatorMicrophone(): void {
  const w = window as unknown as { __toneHz?: number; __setToneHz?: (hz: number) => void };
  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
    if (!constraints?.audio || constraints.video) return original(constraints);
    const ctx = new AudioContext();
    await ctx.resume();
    const osc = ctx.createOscillator();
    osc.frequency.value = w.__toneHz ?? 440;
    const gain = ctx.createGain();
    gain.gain.value = 0.5;
    const dest = ctx.createMediaStreamDestination();
    osc.connect(gain).connect(dest);
    osc.start();
    w.__setToneHz = (hz: number) => osc.frequency.setValueAtTime(hz, ctx.currentTime);
    return dest.stream;
  };
}

/**
 * Audio energy received on the call in the page over a one-second window (or `windowMs`, the energy
 * then scaled to one second), read from getStats of the connection a page exposes for tests
 * (`window[hook]`, only with ?testHooks=1).
 */
export async function receivedAudio(
  page: Page,
  hook: '__veildeskCallPeer' | '__veildeskWidgetPeer' | '__veildeskConsultPeer',
  windowMs = 1_000,
): Promise<{ energy: number; bytes: number }> {
  return page.evaluate(async ({ name, windowMs }) => {
    const pc = (window as unknown as Record<string, RTCPeerConnection | null | undefined>)[name];
    if (!pc) return { energy: -1, bytes: -1 };
    const read = async () => {
      let energy = 0;
      let bytes = 0;
      (await pc.getStats()).forEach((s: { type: string; kind?: string; totalAudioEnergy?: number; bytesReceived?: number }) => {
        if (s.type === 'inbound-rtp' && s.kind === 'audio') {
          energy += s.totalAudioEnergy ?? 0;
          bytes += s.bytesReceived ?? 0;
        }
      });
      return { energy, bytes };
    };
    const before = await read();
    // A measurement window, not a wait for a condition: energy is a rate.
    await new Promise((r) => setTimeout(r, windowMs));
    const after = await read();
    return { energy: ((after.energy - before.energy) * 1_000) / windowMs, bytes: after.bytes - before.bytes };
  }, { name: hook, windowMs });
}
