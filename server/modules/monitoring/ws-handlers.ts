import type { MonitoringClientMessages } from '../../../shared/api/ws-monitoring';
import type { HandlerMap } from '../../ws/handlers';

type MonitoringMessageType = (typeof MonitoringClientMessages)[number]['shape']['type']['value'];

const LISTENERS = ['supervisor', 'admin'] as const;
const AGENT = ['agent'] as const;

/**
 * Live call monitoring: supervisors and admins start and stop listening (the service then checks
 * the org's policy and that the call is connected); only the call's agent reports its publishing.
 */
export const monitoringHandlers: HandlerMap<MonitoringMessageType> = {
  'monitor.start': { roles: LISTENERS, handle: (m, { principal, services }) => services.monitoring.start(principal, m.interactionId, m.id) },
  'monitor.stop': { roles: LISTENERS, handle: (m, { principal, services }) => services.monitoring.stop(principal, m.interactionId, m.id) },
  'monitor.publish.state': { roles: AGENT, handle: (m, { principal, services }) => services.monitoring.publishState(principal, m.interactionId, m.state, m.message) },
};
