import type { ClientLink } from '../../kernel/client-link';
import type { ShareEndpoint } from './share-types';

const endpoints = new WeakMap<ClientLink, ShareEndpoint>();

/** The registry's view of a connection; the same object every time, so identity means "same window". */
export function endpointOf(connection: ClientLink): ShareEndpoint {
  let endpoint = endpoints.get(connection);
  if (!endpoint) {
    endpoint = {
      send: (message) => connection.send(message),
      isOpen: () => connection.isOpen(),
      sessionId: connection.principal?.sessionId ?? '',
    };
    endpoints.set(connection, endpoint);
  }
  return endpoint;
}
