import { type MonitorPublishFrame } from '../../../shared';
import { type MonitorSfu, type Publication, type Subscription } from './monitor-sfu';

/**
 * Whisper and barge in the app, both ends of the listener's voice (server: monitor-voice.ts).
 *
 * The speaking listener (`speakerVoice`): while the server's monitor.state names a `voiceRoomId`,
 * the app sends its microphone there; going back to listening (or stopping) closes the producer and
 * releases the microphone. The listener hears the call only through the call's monitoring room as
 * before, which secure pause holds, so the mode never changes what a pause silences.
 *
 * The agent (`agentVoice`): while monitor.publish carries `voice`, the app receives the speaker's
 * voice from its room; the notice plays it to the agent (whisper and barge), and in barge the call
 * mixes it into what it sends to the customer (calls-slice setCallVoice, media/voice-mix.ts).
 */

export interface VoiceEnv {
  sfu(): Promise<MonitorSfu> | null;
  getMicrophone(): Promise<MediaStream>;
  notice(message: string): void;
}

/** The speaking listener's side: one microphone publication per call they whisper or barge on. */
export function speakerVoice(env: VoiceEnv) {
  const slots = new Map<string, { roomId: string; closed: boolean; publication: Publication | null; mic: MediaStream | null }>();
  const stop = (id: string) => {
    const slot = slots.get(id);
    if (!slot) return;
    slots.delete(id);
    slot.closed = true;
    slot.publication?.close();
    for (const t of slot.mic?.getTracks() ?? []) t.stop();
  };
  const start = async (id: string, roomId: string) => {
    if (slots.get(id)?.roomId === roomId) return;
    stop(id);
    const slot = { roomId, closed: false, publication: null as Publication | null, mic: null as MediaStream | null };
    slots.set(id, slot);
    try {
      const sfuP = env.sfu();
      if (!sfuP) throw new Error('this window cannot send audio (no WebRTC)');
      const [sfu, mic] = await Promise.all([sfuP, env.getMicrophone()]);
      slot.mic = mic;
      const track = mic.getAudioTracks()[0];
      if (!track) throw new Error('the microphone gave no audio');
      if (slot.closed) return stop(id);
      const publication = await sfu.publish(roomId, track);
      if (slot.closed) {
        publication.close();
        for (const t of mic.getTracks()) t.stop();
        return;
      }
      slot.publication = publication;
    } catch (err) {
      if (slot.closed) return;
      env.notice(`Your voice could not be sent to the agent: ${err instanceof Error ? err.message : String(err)}`);
      if (slots.get(id) === slot) {
        for (const t of slot.mic?.getTracks() ?? []) t.stop();
        slots.delete(id);
      }
    }
  };
  return {
    /** Follows the listener's monitor.state: a voice room to send into, or none. */
    follow(id: string, voiceRoomId: string | undefined) {
      if (voiceRoomId) void start(id, voiceRoomId);
      else stop(id);
    },
    stop,
    stopAll() {
      for (const id of [...slots.keys()]) stop(id);
    },
  };
}

export type VoiceFrame = NonNullable<MonitorPublishFrame['voice']>;

/** The agent's side: one subscription per call a listener speaks on; `onStream` gets their voice (null when it stops). */
export function agentVoice(env: Pick<VoiceEnv, 'sfu' | 'notice'>, onStream: (id: string, stream: MediaStream | null) => void) {
  const slots = new Map<string, { roomId: string; closed: boolean; sub: Subscription | null }>();
  const stop = (id: string) => {
    const slot = slots.get(id);
    if (!slot) return;
    slots.delete(id);
    slot.closed = true;
    slot.sub?.close();
    onStream(id, null);
  };
  const start = async (id: string, roomId: string) => {
    stop(id);
    const slot = { roomId, closed: false, sub: null as Subscription | null };
    slots.set(id, slot);
    try {
      const sfuP = env.sfu();
      if (!sfuP) throw new Error('this window cannot receive audio (no WebRTC)');
      const sub = await (
        await sfuP
      ).listen(roomId, {
        onStream: (stream) => {
          if (!slot.closed) onStream(id, stream);
        },
        onClosed: (message) => {
          if (!slot.closed) onStream(id, null);
          if (!slot.closed && slots.get(id) === slot) env.notice(`The supervisor's voice stopped: ${message}`);
        },
      });
      if (slot.closed) sub.close();
      else slot.sub = sub;
    } catch (err) {
      if (!slot.closed) env.notice(`The supervisor's voice could not be received: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  return {
    /** Follows the agent's monitor.publish: a voice to receive, or none. */
    follow(id: string, voice: VoiceFrame | undefined) {
      if (!voice) return stop(id);
      if (slots.get(id)?.roomId !== voice.roomId) void start(id, voice.roomId);
    },
    stop,
    stopAll() {
      for (const id of [...slots.keys()]) stop(id);
    },
  };
}
