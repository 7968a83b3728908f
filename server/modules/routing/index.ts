export { RoutingEngine, HANDLE_WINDOW } from './routing-engine';
export * from './types';
