import type { SecurePauseClientMessages as RecordingClientMessages } from '../../../shared/api/secure-pause';
import type { HandlerMap } from '../../kernel/ws-handlers';
import type { RecordingService } from './recording-service';

type RecordingMessageType = (typeof RecordingClientMessages)[number]['shape']['type']['value'];

const AGENT = ['agent'] as const;

/** Secure pause: only agents may send it, and the service checks it is the call's assigned agent. */
export function recordingHandlers(recordings: RecordingService): HandlerMap<RecordingMessageType> {
  return {
    'recording.pause': { roles: AGENT, handle: (m, { principal }) => recordings.pause(principal, m.interactionId) },
    'recording.resume': { roles: AGENT, handle: (m, { principal }) => recordings.resume(principal, m.interactionId) },
  };
}
