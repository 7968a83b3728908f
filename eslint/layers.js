// @ts-check
/**
 * The folder layers, in one table: which folder (zone) may import which. eslint/rules/layers.js
 * resolves every import against the importing file and checks it here, at any relative depth.
 * docs/architecture.md ("Rules between folders") explains the why; test/unit/architecture proves it bites.
 */

/**
 * Zones by path prefix, from the repository root; the first match wins, so the more specific come first.
 * @type {ReadonlyArray<readonly [string, string]>}
 */
export const ZONE_PREFIXES = [
  ['widget/', 'widget'],
  // The Vite build both browser apps share runs in Node at build time.
  ['browser/vite/', 'tooling'],
  ['browser/', 'browser'],
  ['shared/', 'shared'],
  ['main/', 'main'],
  ['preload/', 'preload'],
  ['renderer/', 'renderer'],
  ['server/', 'server'],
  ['test/support/', 'test-support'],
  ['test/unit/', 'test-unit'],
  ['test/integration/', 'test-integration'],
  ['test/e2e/', 'e2e'],
  ['bench/', 'bench'],
  ['scripts/', 'scripts'],
  ['eslint/', 'tooling'],
];

/** Build configs (Vite's, root files such as vitest.config.ts) run in Node at build time: tooling. */
export const TOOLING_FILE = /(^|\/)vite\.config\.[cm]?[jt]s$|^[^/]+$/;

const SOURCE_ZONES = ['shared', 'browser', 'renderer', 'widget', 'main', 'preload', 'server', 'scripts'];

/** Zone → the zones its files may import (itself included). Anything not listed is forbidden. */
export const ALLOWED = {
  shared: ['shared'],
  browser: ['browser', 'shared'],
  renderer: ['renderer', 'browser', 'shared'],
  widget: ['widget', 'browser', 'shared'],
  main: ['main', 'shared'],
  preload: ['preload', 'shared'],
  server: ['server', 'shared'],
  // Tools and benches start real servers; they do not reach into the apps' internals.
  scripts: ['scripts', 'server', 'test-support', 'shared'],
  bench: ['bench', 'server', 'test-support', 'shared'],
  'test-support': ['test-support', 'server', 'shared'],
  // A unit test imports what it tests, wherever that lives.
  'test-unit': ['test-unit', 'test-support', 'bench', ...SOURCE_ZONES],
  'test-integration': ['test-integration', 'test-support', 'server', 'shared'],
  e2e: ['e2e', 'test-support', 'server', 'scripts', 'shared'],
  tooling: ['tooling', 'test-support', ...SOURCE_ZONES],
};

/**
 * Narrower bans inside an allowed zone pair, by path prefix.
 * @type {ReadonlyArray<{ from: string; to: string[]; message: string }>}
 */
export const FORBIDDEN_PATHS = [
  {
    // Issue 13: modules are transport-free; the socket and HTTP layers call them, not the reverse.
    from: 'server/modules/',
    to: ['server/ws/', 'server/http/'],
    message: 'server/modules/ must not import server/ws/ or server/http/ (modules are transport-free).',
  },
];


/**
 * Single files allowed one more folder, each with its reason.
 * @type {ReadonlyArray<{ file: string; to: string; why: string }>}
 */
export const FILE_EXCEPTIONS = [
  {
    // The share bench's page is browser code bundled by esbuild into a Chromium page; it measures
    // the app's real crop/mask pipeline, so it imports that pipeline and nothing else of renderer/.
    file: 'bench/share/page.ts',
    to: 'renderer/media/share/',
    why: 'the bench page runs the real share pipeline in Chromium',
  },
  {
    // Same page: browser/ is the browser code the apps share, should the pipeline move there.
    file: 'bench/share/page.ts',
    to: 'browser/',
    why: 'the bench page is browser code',
  },
  {
    // The cluster bench's simulated agents and customers reconnect with the apps' own socket core
    // (hello, heartbeat, backoff), so its reconnect times are the apps' and not a bench's own loop.
    file: 'bench/cluster/client.ts',
    to: 'browser/net/',
    why: 'the simulated clients reconnect as the apps do',
  },
  {
    // The screen recording bench's page runs the app's real screen recorder on the share pipeline in Chromium.
    file: 'bench/screenrec/page.ts',
    to: 'renderer/media/share/',
    why: 'the bench page runs the real share pipeline in Chromium',
  },
  {
    file: 'bench/screenrec/page.ts',
    to: 'renderer/media/screen-recorder/',
    why: 'the bench page runs the real screen recorder in Chromium',
  },
  {
    file: 'bench/screenrec/page.ts',
    to: 'renderer/media/recorder/',
    why: 'the screen recorder\'s MediaRecorder type lives with the call recorder',
  },
];

/** Node's built-ins by name; the browser zones may use only the npm polyfills of these three. */
const BROWSER_POLYFILLS = ['buffer', 'process', 'events'];

/** Packages that need a DOM; the backend must not load them. */
const DOM_ONLY_PACKAGES = ['react', 'react-dom', 'dexie', 'dexie-react-hooks', 'zustand', 'simple-peer', 'mediasoup-client'];

/**
 * Bare (package) import bans per zone.
 * @type {Record<string, { allowOnly?: string[]; forbidNodeBuiltins?: boolean; allowPolyfills?: string[]; forbid?: string[]; message: string }>}
 */
export const PACKAGE_RULES = {
  // re2js: pure JavaScript RE2 (linear-time matching) for the org's redaction patterns, which every side runs.
  shared: { allowOnly: ['zod', 're2js'], message: 'shared/ is runtime-neutral: it imports only zod and re2js (no node:*, electron, react, ...).' },
  browser: { forbidNodeBuiltins: true, allowPolyfills: BROWSER_POLYFILLS, forbid: ['electron'], message: 'browser code cannot load Node built-ins or electron.' },
  renderer: { forbidNodeBuiltins: true, allowPolyfills: BROWSER_POLYFILLS, forbid: ['electron'], message: 'browser code cannot load Node built-ins or electron.' },
  widget: { forbidNodeBuiltins: true, allowPolyfills: BROWSER_POLYFILLS, forbid: ['electron'], message: 'browser code cannot load Node built-ins or electron.' },
  server: { forbid: [...DOM_ONLY_PACKAGES, 'electron'], message: 'the backend must not import DOM-only or Electron code.' },
};
