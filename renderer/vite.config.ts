import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { browserAppConfig } from '../browser/vite/app-config';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** The agent app: the web agent the backend serves at /, and the Electron window's page. */
export default defineConfig(
  browserAppConfig({
    root: new URL('.', import.meta.url),
    outName: 'renderer',
    define: { __VEILDESK_VERSION__: JSON.stringify(pkg.version) },
    plugins: [
      // The web agent's app shell for reloads without the network (registered in main.tsx, web only).
      VitePWA({
        injectRegister: false,
        manifest: false,
        strategies: 'generateSW',
        filename: 'sw.js',
        workbox: {
          // Only the built static files: never an API answer, /ws or anything personal.
          globPatterns: ['**/*.{js,css,html,svg,wasm}'],
          globIgnores: ['sw.js', 'workbox-*.js'],
          runtimeCaching: [],
          // The call and share chunks (simple-peer, mediasoup-client) are large but part of the shell.
          maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
          navigateFallback: 'index.html',
          // The widget, the API and the socket are never the app shell.
          navigateFallbackDenylist: [/^\/api(\/|$)/, /^\/ws(\/|$)/, /^\/widget(\/|$)/],
          cleanupOutdatedCaches: true,
          clientsClaim: true,
          skipWaiting: true,
          inlineWorkboxRuntime: true,
          sourcemap: false,
        },
      }),
    ],
  }),
);
