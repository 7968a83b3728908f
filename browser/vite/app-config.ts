import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { type HtmlTagDescriptor, type Plugin, type PluginOption, type UserConfig } from 'vite';

/**
 * The Vite build both browser apps share (the agent app in renderer/, the customer widget in
 * widget/). Each app's vite.config.ts names its folder, its dist/ sub-folder and its own defines.
 */
export interface BrowserAppOptions {
  /** The app's folder (where its index.html is), as a file: URL. */
  root: URL;
  /** Sub-folder of dist/ (or of VEILDESK_DIST_DIR) the build goes to. */
  outName: string;
  /** Build-time constants on top of `global`. */
  define?: Record<string, string>;
  /** The app's own plugins, after the common ones (the agent app's service worker). */
  plugins?: PluginOption[];
}

const distDir = (outName: string): string =>
  // VEILDESK_DIST_DIR lets parallel work build and test without overwriting each other's dist/.
  process.env.VEILDESK_DIST_DIR ? `${process.env.VEILDESK_DIST_DIR}/${outName}` : fileURLToPath(new URL(`../../dist/${outName}`, import.meta.url));

/** The <head> both apps' pages start with; each index.html adds only its title and body. */
const COMMON_HEAD: HtmlTagDescriptor[] = [
  { tag: 'meta', attrs: { charset: 'UTF-8' } },
  { tag: 'meta', attrs: { name: 'viewport', content: 'width=device-width, initial-scale=1' } },
  { tag: 'meta', attrs: { name: 'referrer', content: 'no-referrer' } },
  { tag: 'meta', attrs: { name: 'color-scheme', content: 'light' } },
  // Each app's public/favicon.svg.
  { tag: 'link', attrs: { rel: 'icon', type: 'image/svg+xml', href: './favicon.svg' } },
].map((tag) => ({ ...tag, injectTo: 'head-prepend' as const }));

const commonHead: Plugin = { name: 'veildesk-common-head', transformIndexHtml: () => COMMON_HEAD };

export function browserAppConfig(options: BrowserAppOptions): UserConfig {
  // Where `vite dev` forwards API and socket traffic; the backend's default port unless overridden.
  const devBackend = process.env.VEILDESK_DEV_BACKEND ?? 'http://localhost:4280';
  return {
    root: fileURLToPath(options.root),
    // Relative asset URLs: the agent app runs from the server at / and from Electron's app://veildesk/,
    // the widget from /widget/ on whatever host serves it.
    base: './',
    plugins: [react(), commonHead, ...(options.plugins ?? [])],
    resolve: {
      // Node's `events` for simple-peer's stream dependencies; Vite would make the built-in an empty module.
      alias: [{ find: /^events$/, replacement: fileURLToPath(new URL('../media/node-events.ts', import.meta.url)) }],
    },
    define: {
      ...options.define,
      // simple-peer's browserify-era dependencies read Node's `global`; browser/media/polyfills.ts covers the rest.
      global: 'globalThis',
    },
    build: {
      outDir: distDir(options.outName),
      emptyOutDir: true,
      // The server's CSP forbids inline scripts; the modulepreload polyfill would be one.
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
  };
}
