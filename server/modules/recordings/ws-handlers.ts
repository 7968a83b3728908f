import type { SecurePauseClientMessages as RecordingClientMessages } from '../../../shared/api/secure-pause';
import type { HandlerMap } from '../../ws/handlers';

type RecordingMessageType = (typeof RecordingClientMessages)[number]['shape']['type']['value'];

const AGENT = ['agent'] as const;

/** Secure pause: only agents may send it, and the service checks it is the call's assigned agent. */
export const recordingHandlers: HandlerMap<RecordingMessageType> = {
  'recording.pause': { roles: AGENT, handle: (m, { principal, services }) => services.recordings.pause(principal, m.interactionId) },
  'recording.resume': { roles: AGENT, handle: (m, { principal, services }) => services.recordings.resume(principal, m.interactionId) },
};
