import type { Connection } from '../../ws/connection';
import type { ShareEndpoint } from './share-registry';

const endpoints = new WeakMap<Connection, ShareEndpoint>();

/** The registry's view of a connection; the same object every time, so identity means "same window". */
export function endpointOf(connection: Connection): ShareEndpoint {
  let endpoint = endpoints.get(connection);
  if (!endpoint) {
    endpoint = {
      send: (message) => connection.send(message),
      isOpen: () => connection.socket.readyState === connection.socket.OPEN,
      sessionId: connection.principal?.sessionId ?? '',
    };
    endpoints.set(connection, endpoint);
  }
  return endpoint;
}
