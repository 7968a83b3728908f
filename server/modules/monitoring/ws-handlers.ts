import type { MonitoringClientMessages } from '../../../shared/api/ws-monitoring';
import type { HandlerMap } from '../../kernel/ws-handlers';
import type { MonitoringService } from './monitoring-service';

type MonitoringMessageType = (typeof MonitoringClientMessages)[number]['shape']['type']['value'];

const LISTENERS = ['supervisor', 'admin'] as const;
const AGENT = ['agent'] as const;

/**
 * Live call monitoring: supervisors and admins start and stop listening (the service then checks

 * the org's policy and that the call is connected) and switch to whisper or barge; only the call's agent reports its publishing.
 */
export function monitoringHandlers(monitoring: MonitoringService): HandlerMap<MonitoringMessageType> {
  return {
    'monitor.start': { roles: LISTENERS, handle: (m, { principal }) => monitoring.start(principal, m.interactionId, m.id) },
    'monitor.stop': { roles: LISTENERS, handle: (m, { principal }) => monitoring.stop(principal, m.interactionId, m.id) },
    'monitor.mode': { roles: LISTENERS, handle: (m, { principal }) => monitoring.switchMode(principal, m.interactionId, m.mode, m.id) },
    'monitor.publish.state': { roles: AGENT, handle: (m, { principal }) => monitoring.publishState(principal, m.interactionId, m.state, m.message) },
  };
}
