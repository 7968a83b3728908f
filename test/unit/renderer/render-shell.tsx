import { renderToStaticMarkup } from 'react-dom/server';
import { Shell } from '../../../renderer/app/Shell';
import { StoreProvider } from '../../../renderer/app/store-context';
import type { supervisorUser } from './store-harness';
import { signedInWork } from './work-harness';

/** A signed-in work harness whose `html()` renders the whole Shell from the live store state. */
export async function renderSignedInShell(user?: typeof supervisorUser) {
  const h = await signedInWork(user ? { user } : {});
  // Server rendering reads getInitialState (zustand's server snapshot); point it at the live state.
  const store = { ...h.store, getInitialState: h.store.getState };
  const html = () =>
    renderToStaticMarkup(
      <StoreProvider store={store}>
        <Shell />
      </StoreProvider>,
    );
  return { ...h, html };
}
