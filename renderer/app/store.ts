import { type StoreApi, createStore } from 'zustand/vanilla';
import { createAuthSlice } from '../features/auth/auth-slice';
import { createConnectionSlice } from '../features/connection/connection-slice';
import { createPresenceSlice } from '../features/presence/presence-slice';
import { createRosterSlice } from '../features/roster/roster-slice';
import { type AppDeps, type AppState } from './store-types';

export type { AppDeps, AppState, LiveConnection, SliceCreator } from './store-types';

/** The one application store, assembled from feature slices around injected side effects. */
export function createAppStore(deps: AppDeps): StoreApi<AppState> {
  return createStore<AppState>()((...args) => ({
    ...createAuthSlice(deps)(...args),
    ...createPresenceSlice(deps)(...args),
    ...createRosterSlice(deps)(...args),
    ...createConnectionSlice(deps)(...args),
  }));
}
