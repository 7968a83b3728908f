/**
 * simple-peer and its stream dependencies were written for browserify and expect Node's `global`,
 * `process` and `Buffer`. Import this module before simple-peer (call-peer.ts does) so they exist.
 * `process/browser.js` and `buffer/` name the npm packages explicitly, never Node's built-ins.
 */
import { Buffer } from 'buffer/';
import processShim from 'process/browser.js';

const g = globalThis as { global?: unknown; process?: unknown; Buffer?: unknown };
g.global ??= globalThis;
g.process ??= processShim;
g.Buffer ??= Buffer;

export {};
