export { HANDLE_WINDOW } from './engine-state';
export { RoutingEngine } from './routing-engine';
export * from './types';
