import { type ReactNode, createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { type StoreApi } from 'zustand/vanilla';
import { type AppState } from './store-types';

/** The store is created in main.tsx and handed down, so tests and previews can supply their own. */
const StoreContext = createContext<StoreApi<AppState> | null>(null);

export function StoreProvider({ store, children }: { store: StoreApi<AppState>; children: ReactNode }) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

/** Reads the store through a selector; components re-render only when the selected value changes. */
export function useAppStore<T>(selector: (state: AppState) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useAppStore must be used inside <StoreProvider>');
  return useStore(store, selector);
}

/** The store itself, for code that acts on the state of the moment (key handlers) rather than rendering it. */
export function useAppStoreApi(): StoreApi<AppState> {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useAppStoreApi must be used inside <StoreProvider>');
  return store;
}
