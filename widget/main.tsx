import { StrictMode } from 'react';
import { wsUrl } from '../browser/net/urls';
import { createRoot } from 'react-dom/client';
import { createWidgetApi } from './lib/api';
import { WidgetController } from './lib/controller';
import { createSessionStore, type KeyValueStorage } from './lib/saved-session';
import { App } from './ui/App';
import './ui/styles.css';

function tabStorage(): KeyValueStorage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage disabled: the conversation just does not survive a reload
  }
}

// The only place real side effects are wired in; the controller takes them as dependencies.
const controller = new WidgetController({
  api: createWidgetApi((input, init) => window.fetch(input, { ...init, credentials: 'omit', cache: 'no-store' })),
  sessions: createSessionStore(tabStorage()),
  // The page's own server: the socket is at /ws on the same origin.
  wsUrl: wsUrl(window.location.origin),
  // simple-peer and its polyfills load only when a call starts.
  loadCall: () => import('./call/call').then((m) => m.callModule),
});
controller.init();
window.addEventListener('online', () => controller.online());
window.addEventListener('offline', () => controller.offline());

const container = document.getElementById('root');
if (!container) throw new Error('index.html is missing <div id="root">');
createRoot(container).render(
  <StrictMode>
    <App controller={controller} />
  </StrictMode>,
);
