import type { SecurePauseClientMessages } from '../../../shared/api/secure-pause';
import type { HandlerMap } from '../../kernel/ws-handlers';
import type { SecurePauseService } from './secure-pause-service';

type SecurePauseMessageType = (typeof SecurePauseClientMessages)[number]['shape']['type']['value'];

const AGENT = ['agent'] as const;

/** Secure pause (wire names from when it paused only the recording): only agents may send it, and the service checks it is the call's assigned agent. */
export function securePauseHandlers(securePause: SecurePauseService): HandlerMap<SecurePauseMessageType> {
  return {
    'recording.pause': { roles: AGENT, handle: (m, { principal }) => securePause.pause(principal, m.interactionId) },
    'recording.resume': { roles: AGENT, handle: (m, { principal }) => securePause.resume(principal, m.interactionId) },
  };
}
