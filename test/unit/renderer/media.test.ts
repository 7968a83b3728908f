import wrtc from '@roamhq/wrtc';
import SimplePeer from 'simple-peer';
import { afterEach, describe, expect, it } from 'vitest';
import { createCallPeer } from '../../../renderer/media/call-peer';
import { type CallPeer, type Signal } from '../../../renderer/media/call-peer-types';
import { getMicrophone, microphoneErrorMessage } from '../../../renderer/media/microphone';
import { testHooksEnabled } from '../../../renderer/media/test-hooks';

describe('microphone', () => {
  it('words getUserMedia failures for the agent', async () => {
    expect(microphoneErrorMessage(new DOMException('denied', 'NotAllowedError'))).toMatch(/refused/);
    expect(microphoneErrorMessage({ name: 'NotFoundError' })).toMatch(/No microphone/);
    expect(microphoneErrorMessage(new Error('x'))).toBe('The microphone could not be started.');
    await expect(getMicrophone(undefined)).rejects.toThrow(/secure connection/);
    const refuse = { getUserMedia: async () => Promise.reject(new DOMException('denied', 'NotAllowedError')) };
    await expect(getMicrophone(refuse)).rejects.toThrow(/refused/);
  });

  it('asks for audio only', async () => {
    let asked: MediaStreamConstraints | undefined;
    const stream = {} as MediaStream;
    await getMicrophone({
      getUserMedia: async (c) => {
        asked = c;
        return stream;
      },
    });
    expect(asked).toEqual({ audio: true, video: false });
  });
});

describe('test hooks', () => {
  it('are on only with testHooks=1', () => {
    expect(testHooksEnabled('?testHooks=1')).toBe(true);
    expect(testHooksEnabled('?a=b&testHooks=1')).toBe(true);
    expect(testHooksEnabled('?testHooks=0')).toBe(false);
    expect(testHooksEnabled('')).toBe(false);
  });
});

describe('call peer (simple-peer over @roamhq/wrtc)', () => {
  const cleanup: Array<() => void> = [];
  afterEach(() => {
    for (const fn of cleanup.splice(0)) fn();
  });

  function audioStream(): MediaStream {
    const source = new wrtc.nonstandard.RTCAudioSource();
    const track = source.createTrack();
    const timer = setInterval(() => {
      const samples = new Int16Array(480);
      source.onData({ samples, sampleRate: 48_000, bitsPerSample: 16, channelCount: 1, numberOfFrames: 480 });
    }, 10);
    cleanup.push(() => {
      clearInterval(timer);
      track.stop();
    });
    return new wrtc.MediaStream([track]) as unknown as MediaStream;
  }

  it('answers a customer-initiated offer and receives their audio', async () => {
    // The customer's widget: the initiator, as in production.
    const customer = new SimplePeer({ initiator: true, trickle: true, wrtc: wrtc as never, stream: audioStream() as never });
    cleanup.push(() => customer.destroy());

    let agent: CallPeer | null = null;
    const connected = new Promise<void>((resolve, reject) => {
      const remote = new Promise<MediaStream>((resolveStream) => {
        agent = createCallPeer(
          { stream: audioStream(), iceServers: [] },
          {
            onSignal: (signal: Signal) => customer.signal(signal as never),
            onStream: resolveStream,
            onConnect: () => undefined,
            onClose: () => undefined,
            onError: reject,
          },
          { wrtc: wrtc as never },
        );
      });
      customer.on('signal', (data) => agent?.signal(data as unknown as Signal));
      customer.on('error', reject);
      void remote.then((stream) => {
        expect(stream.getAudioTracks()).toHaveLength(1);
        resolve();
      });
    });
    cleanup.push(() => (agent as CallPeer | null)?.destroy());

    await connected;
    const pc = (agent as CallPeer | null)?.peerConnection;
    expect(pc).toBeTruthy();
    (agent as CallPeer | null)?.destroy();
    expect((agent as CallPeer | null)?.peerConnection).toBeNull();
  }, 15_000);
});
