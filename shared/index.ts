export * from './version';
export * from './domain/roles';
export * from './domain/usernames';
export * from './api/errors';
export * from './api/http';
export * from './api/ws';
export * from './bridge/desktop-bridge';
export * from './bridge/ipc';
