/// <reference types="vite/client" />

/** Injected by renderer/vite.config.ts from package.json; absent when code runs outside Vite (tests). */
declare const __VEILDESK_VERSION__: string | undefined;
