import { type StateCreator } from 'zustand/vanilla';
import { type DesktopBridge } from '../../shared';
import { type AuthSlice } from '../features/auth/auth-slice';
import { type SessionStore } from '../features/auth/session-store';
import { type ConnectionSlice } from '../features/connection/connection-slice';
import { type PresenceSlice } from '../features/presence/presence-slice';
import { type RosterSlice } from '../features/roster/roster-slice';
import { type ApiClient } from '../net/api-client';
import { type WsClient, type WsClientOptions } from '../net/ws-client';

/** The part of WsClient the store drives; tests pass a fake with the same shape. */
export type LiveConnection = Pick<WsClient, 'on' | 'connect' | 'close' | 'dispose' | 'reconnectNow' | 'setPresence'>;

/** Everything with side effects the store needs, injected so slices can be tested without a browser. */
export interface AppDeps {
  bridge: DesktopBridge;
  session: SessionStore;
  createApi(baseUrl: string): ApiClient;
  createConnection(options: Pick<WsClientOptions, 'url' | 'token'>): LiveConnection;
  now?: () => number;
}

export type AppState = AuthSlice & PresenceSlice & RosterSlice & ConnectionSlice;

/** A slice sees the whole store (to call its neighbours' actions) but only defines its own keys. */
export type SliceCreator<T> = (deps: AppDeps) => StateCreator<AppState, [], [], T>;
