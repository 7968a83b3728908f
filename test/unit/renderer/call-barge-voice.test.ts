import { describe, expect, it, vi } from 'vitest';
import { CallController } from '../../../renderer/features/calls/call-controller';
import { FakeTrack, fakeMedia, fakeStream } from './fake-media';

/**
 * Barge as the call controller sends it: what goes on the call's sender (what the customer hears)
 * and which supervisor voice it reports to the recording (onSentVoice), through whisper, barge,
 * hold and back.
 */
function bargeCall() {
  const fm = fakeMedia();
  const sender = { track: null as unknown, replaceTrack: vi.fn(async (t: unknown) => void (sender.track = t)) };
  const tone = { track: new FakeTrack() as unknown as MediaStreamTrack, stop: vi.fn() };
  const mixes: { mic: MediaStream; voice: MediaStream; track: MediaStreamTrack; closed: boolean }[] = [];
  const sent: (MediaStream | null)[] = [];
  const media = {
    ...fm.media,
    createPeer: (...args: Parameters<typeof fm.media.createPeer>) => {
      const peer = fm.media.createPeer(...args) as ReturnType<typeof fm.latestPeer>;
      sender.track = args[0].stream.getAudioTracks()[0];
      (peer as { peerConnection: unknown }).peerConnection = { getSenders: () => [sender] };
      return peer;
    },
    createHoldTone: () => tone,
    mixVoice: (mic: MediaStream, voice: MediaStream) => {
      const mix = { mic, voice, track: { kind: 'audio', stop: vi.fn() } as unknown as MediaStreamTrack, closed: false };
      mixes.push(mix);
      return { track: mix.track, close: () => void (mix.closed = true) };
    },
  };
  const controller = new CallController({
    interactionId: 'i-1',
    media,
    getIceServers: async () => [],
    sendSignal: () => undefined,
    onEvent: () => undefined,
    onRemoteStream: () => undefined,
    onSentVoice: (voice) => void sent.push(voice),
    now: () => 0,
    logger: { warn: vi.fn() },
  });
  return { fm, controller, sender, tone, mixes, sent };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('barge: what the customer hears and what the recording is told', () => {
  it('barge mixes the voice onto the sender and reports it; hold sends the tone and reports none; resume brings the mix back; listen drops it', async () => {
    const { fm, controller, sender, tone, mixes, sent } = bargeCall();
    await controller.start();
    const mic = fm.mics[0]!;
    const voice = fakeStream();
    expect(sender.track).toBe(mic.tracks[0]);
    expect(sent).toEqual([]);

    controller.setVoice(voice);
    await settle();
    expect(mixes).toHaveLength(1);
    expect(sender.track).toBe(mixes[0]!.track);
    expect(sent).toEqual([voice]);

    // On hold the customer hears the hold tone only: neither the agent nor the supervisor.
    controller.setHeld(true);
    await settle();
    expect(sender.track).toBe(tone.track);
    expect(mic.tracks[0]!.enabled).toBe(false);
    expect(sent).toEqual([voice, null]);

    controller.setHeld(false);
    await settle();
    expect(sender.track).toBe(mixes[0]!.track);
    expect(mic.tracks[0]!.enabled).toBe(true);
    expect(tone.stop).toHaveBeenCalled();
    expect(sent).toEqual([voice, null, voice]);

    controller.setVoice(null);
    await settle();
    expect(mixes[0]!.closed).toBe(true);
    expect(sender.track).toBe(mic.tracks[0]);
    expect(sent).toEqual([voice, null, voice, null]);
  });

  it('a barge that starts while the call is held waits for the resume: tone meanwhile, nothing reported', async () => {
    const { fm, controller, sender, tone, mixes, sent } = bargeCall();
    await controller.start();
    controller.setHeld(true);
    await settle();
    const voice = fakeStream();
    controller.setVoice(voice);
    await settle();
    expect(sender.track).toBe(tone.track);
    expect(sent).toEqual([]);
    controller.setHeld(false);
    await settle();
    expect(sender.track).toBe(mixes.at(-1)!.track);
    expect(sent).toEqual([voice]);
    controller.end();
    expect(sent).toEqual([voice, null]);
    expect(fm.mics[0]!.tracks[0]!.stopped).toBe(true);
  });

  it('a voice that cannot be mixed is not reported: the customer hears the agent alone, so the recording does too', async () => {
    const { fm, controller, sender, sent } = bargeCall();
    await controller.start();
    (controller as unknown as { options: { media: { mixVoice: () => never } } }).options.media.mixVoice = () => {
      throw new Error('no WebAudio');
    };
    controller.setVoice(fakeStream());
    await settle();
    expect(sender.track).toBe(fm.mics[0]!.tracks[0]);
    expect(sent).toEqual([]);
  });
});
