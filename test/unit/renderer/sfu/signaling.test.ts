import { describe, expect, it } from 'vitest';
import type { ClientMessage } from '../../../../shared/api/ws';
import { createMediaSignaling, type MediaFrame, type RoomEvent } from '../../../../renderer/media/sfu/signaling';

const caps = { codecs: [] };

function harness(connected = true) {
  const sent: ClientMessage[] = [];
  const signaling = createMediaSignaling((m) => {
    sent.push(m);
    return connected;
  });
  return { sent, signaling };
}

describe('media signaling over the WebSocket', () => {
  it('pairs a request with the reply that carries its id as ref, not with other frames of that type', async () => {
    const { sent, signaling } = harness();
    const reply = signaling.request({ type: 'media.join', roomId: 'share:1' }, 'media.joined');
    const id = (sent[0] as { id: string }).id;
    expect(id).toMatch(/^media-/);
    signaling.handleFrame({ type: 'media.joined', roomId: 'share:1', role: 'consumer', kinds: ['video'], routerRtpCapabilities: caps, ref: 'someone-else' });
    signaling.handleFrame({ type: 'media.joined', roomId: 'share:1', role: 'producer', kinds: ['video'], routerRtpCapabilities: caps, ref: id });
    await expect(reply).resolves.toMatchObject({ role: 'producer' });
  });

  it('rejects with the server’s message when the error frame names the request', async () => {
    const { sent, signaling } = harness();
    const reply = signaling.request({ type: 'media.join', roomId: 'share:1' }, 'media.joined');
    const id = (sent[0] as { id: string }).id;
    expect(signaling.handleError({ type: 'error', code: 'forbidden', message: 'You may not send or receive media in this room.', ref: id })).toBe(true);
    await expect(reply).rejects.toThrow('You may not send or receive media in this room.');
    // Error frames of other requests are not media's.
    expect(signaling.handleError({ type: 'error', code: 'forbidden', message: 'x', ref: 'share-join-1' })).toBe(false);
  });

  it('fails at once when not connected', async () => {
    const { signaling } = harness(false);
    await expect(signaling.request({ type: 'media.join', roomId: 'share:1' }, 'media.joined')).rejects.toThrow('Not connected');
  });

  it('hands unasked frames and refusals of fired requests to the room; a closed room fails what it still awaited', async () => {
    const { sent, signaling } = harness();
    const events: RoomEvent[] = [];
    signaling.onRoom('share:1', (e) => events.push(e));
    signaling.send({ type: 'media.consume', roomId: 'share:1', transportId: 't', rtpCapabilities: caps });
    const consumeId = (sent[0] as { id: string }).id;
    signaling.handleError({ type: 'error', code: 'forbidden', message: 'no', ref: consumeId });
    const consumer: MediaFrame = { type: 'media.consumer', roomId: 'share:1', consumerId: 'c', producerId: 'p', kind: 'video', rtpParameters: { codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 }] } };
    signaling.handleFrame(consumer);
    const pending = signaling.request({ type: 'media.transport.create', roomId: 'share:1', direction: 'recv' }, 'media.transport.created');
    signaling.handleFrame({ type: 'media.room.closed', roomId: 'share:1', reason: 'revoked', message: 'You no longer have access to this media.' });
    await expect(pending).rejects.toThrow('no longer have access');
    expect(events.map((e) => e.type)).toEqual(['refused', 'media.consumer', 'media.room.closed']);
    expect(events[0]).toMatchObject({ ref: consumeId });
    // Another room's listener hears nothing of this one.
    const other: RoomEvent[] = [];
    signaling.onRoom('share:2', (e) => other.push(e));
    signaling.handleFrame(consumer);
    expect(other).toEqual([]);
  });
});
