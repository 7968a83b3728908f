import { useStore } from 'zustand';
import { type StoreApi } from 'zustand/vanilla';

/** Reads one of the view's own stores (not the app store) through a selector. */
export function useVanilla<S, T>(store: StoreApi<S>, selector: (state: S) => T): T {
  return useStore(store, selector);
}
