import react from '@vitejs/plugin-react';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const rootDir = fileURLToPath(new URL('.', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

// Where `vite dev` forwards API and socket traffic; the backend's default port unless overridden.
const devBackend = process.env.VEILDESK_DEV_BACKEND ?? 'http://localhost:4280';

export default defineConfig({
  root: rootDir,
  // Relative asset URLs so the same build works from the server at / and from Electron's app://veildesk/.
  base: './',
  plugins: [react()],
  resolve: {
    // Node's `events` for simple-peer's stream dependencies; Vite would make the built-in an empty module.
    alias: [{ find: /^events$/, replacement: fileURLToPath(new URL('./media/node-events.ts', import.meta.url)) }],
  },
  define: {
    __VEILDESK_VERSION__: JSON.stringify(pkg.version),
    // simple-peer's browserify-era dependencies read Node's `global`; media/polyfills.ts covers the rest.
    global: 'globalThis',
  },
  build: {
    // VEILDESK_DIST_DIR lets parallel work build and test without overwriting each other's dist/.
    outDir: process.env.VEILDESK_DIST_DIR ? `${process.env.VEILDESK_DIST_DIR}/renderer` : fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // The server's CSP forbids inline scripts; the preload polyfill would be one.
    modulePreload: { polyfill: false },
    // Never inline assets as data: URLs, which a strict default-src 'self' would also refuse.
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
