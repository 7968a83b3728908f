import wrtc from '@roamhq/wrtc';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimplePeer, type PeerSignal } from '../../../browser/media/simple-peer';
import { createCallPeer } from '../../../renderer/media/call-peer';
import { type CallPeer } from '../../../renderer/media/call-peer-types';

/**
 * Real WebRTC (@roamhq/wrtc) on both sides, through the project's own wrapper: the agent's peer
 * restarts ICE on the live connection, the offer and answer go through the same relay as every
 * call.signal, and the customer's audio keeps arriving on the SAME connection (no new peer).
 * Cutting the path itself needs a browser and a relay: test/e2e/ice-restart.spec.ts.
 */
describe('ICE restart over real WebRTC (@roamhq/wrtc)', () => {
  const cleanup: Array<() => void> = [];
  afterEach(() => {
    for (const fn of cleanup.splice(0)) fn();
  });

  function audioStream(): MediaStream {
    const source = new wrtc.nonstandard.RTCAudioSource();
    const track = source.createTrack();
    const timer = setInterval(() => {
      const samples = new Int16Array(480).fill(3000);
      source.onData({ samples, sampleRate: 48_000, bitsPerSample: 16, channelCount: 1, numberOfFrames: 480 });
    }, 10);
    cleanup.push(() => {
      clearInterval(timer);
      track.stop();
    });
    return new wrtc.MediaStream([track]) as unknown as MediaStream;
  }

  async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function audioBytesReceived(pc: RTCPeerConnection): Promise<number> {
    let bytes = 0;
    (await pc.getStats()).forEach((r: { type: string; kind?: string; mediaType?: string; bytesReceived?: number }) => {
      if (r.type === 'inbound-rtp' && (r.kind ?? r.mediaType) === 'audio') bytes += r.bytesReceived ?? 0;
    });
    return bytes;
  }

  const ufrag = (sdp: string | undefined) => /a=ice-ufrag:(\S+)/.exec(sdp ?? '')?.[1] ?? null;

  it('the agent restarts ICE; the customer answers on its existing peer and audio keeps flowing', async () => {
    const relayed: PeerSignal[] = [];
    const agentIce: string[] = [];
    const customerIce: string[] = [];
    let agent: CallPeer | null = null;
    const customer = createSimplePeer(
      { initiator: true, stream: audioStream(), iceServers: [], wrtc: wrtc as never },
      {
        onSignal: (s) => agent?.signal(s),
        onStream: () => undefined,
        onConnect: () => undefined,
        onClose: () => undefined,
        onError: (e) => customerIce.push(`error:${e.message}`),
        onIceState: (s) => customerIce.push(s),
      },
    );
    cleanup.push(() => customer.destroy());
    agent = createCallPeer(
      { stream: audioStream(), iceServers: [] },
      {
        onSignal: (s) => {
          relayed.push(s);
          customer.signal(s);
        },
        onStream: () => undefined,
        onConnect: () => undefined,
        onClose: () => undefined,
        onError: (e) => agentIce.push(`error:${e.message}`),
        onIceState: (s) => agentIce.push(s),
      },
      { wrtc: wrtc as never },
    );
    cleanup.push(() => agent?.destroy());
    const agentPc = agent.peerConnection!;
    const customerPc = customer.peerConnection!;

    await until('the first connection', () => agentIce.includes('connected') || agentIce.includes('completed'));
    await until('audio at the agent', async () => (await audioBytesReceived(agentPc)) > 0);
    const before = ufrag(customerPc.remoteDescription?.sdp);
    expect(before).toBeTruthy();

    agentIce.length = 0;
    expect(await agent.restartIce()).toBe(true);
    const offer = relayed.find((s) => s.type === 'offer');
    expect(offer).toMatchObject({ type: 'offer', iceRestart: true });

    // New ICE credentials on both sides of the same connections, stable again.
    await until('the restart to be answered', () => agentPc.signalingState === 'stable' && ufrag(agentPc.remoteDescription?.sdp) !== null && ufrag(customerPc.remoteDescription?.sdp) !== before);
    expect(ufrag(customerPc.remoteDescription?.sdp)).not.toBe(before);
    await until('ICE connected after the restart', () => agentPc.iceConnectionState === 'connected' || agentPc.iceConnectionState === 'completed');
    const afterRestart = await audioBytesReceived(agentPc);
    await until('more audio after the restart', async () => (await audioBytesReceived(agentPc)) > afterRestart + 1_000);
    expect(agent.peerConnection).toBe(agentPc);
    expect(customer.peerConnection).toBe(customerPc);
    expect([...agentIce, ...customerIce].filter((s) => s.startsWith('error'))).toEqual([]);
  }, 30_000);
});
