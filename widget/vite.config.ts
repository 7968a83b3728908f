import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const rootDir = fileURLToPath(new URL('.', import.meta.url));

// Where `vite dev` forwards API and socket traffic; the backend's default port unless overridden.
const devBackend = process.env.VEILDESK_DEV_BACKEND ?? 'http://localhost:4280';

/** The customer web widget, served by the backend at /widget/ (server/http/widget-app.ts). */
export default defineConfig({
  root: rootDir,
  // Relative asset URLs: the page lives at /widget/ on whatever host serves it.
  base: './',
  plugins: [react()],
  // simple-peer's dependencies read Node's `global`; process and Buffer come from call/polyfills.ts.
  define: { global: 'globalThis' },
  resolve: {
    // readable-stream (under simple-peer) needs an EventEmitter; no `events` package is installed.
    alias: { events: fileURLToPath(new URL('./call/events-shim.ts', import.meta.url)) },
  },
  build: {
    outDir: process.env.VEILDESK_DIST_DIR ? `${process.env.VEILDESK_DIST_DIR}/widget` : fileURLToPath(new URL('../dist/widget', import.meta.url)),
    emptyOutDir: true,
    // The server's CSP forbids inline scripts; the modulepreload polyfill would be one.
    modulePreload: { polyfill: false },
    // Never inline assets as data: URLs (default-src 'self').
    assetsInlineLimit: 0,
    target: 'es2022',
  },
  server: {
    proxy: {
      '/api': devBackend,
      '/ws': { target: devBackend.replace(/^http/, 'ws'), ws: true },
    },
  },
});
