/**
 * The npm `process` package (browser build), a polyfill simple-peer's dependencies need in the widget
 * (server/widget/call/polyfills.ts). It has no own types; @types/node used to declare the module, but
 * browser code is checked without Node's types.
 */
declare module 'process' {
  const process: {
    env: Record<string, string | undefined>;
    nextTick(callback: (...args: unknown[]) => void, ...args: unknown[]): void;
    browser: boolean;
  };
  export default process;
}
