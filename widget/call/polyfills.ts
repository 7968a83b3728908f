/*
 * Node globals simple-peer and its dependencies (readable-stream, randombytes, debug) expect.
 * Imported first by call.ts, so these exist before any of those modules run. vite.config.ts also
 * rewrites the bare identifier `global` to `globalThis` at build time.
 */
import { Buffer } from 'buffer';
import process from 'process';

const g = globalThis as Record<string, unknown>;
if (g.global === undefined) g.global = globalThis;
if (g.process === undefined) g.process = process;
if (g.Buffer === undefined) g.Buffer = Buffer;

export {};
