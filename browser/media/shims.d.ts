/** The npm `process` package's browser build, used as a polyfill for simple-peer (no own types). */
declare module 'process/browser.js' {
  const process: {
    env: Record<string, string | undefined>;
    nextTick(callback: (...args: unknown[]) => void, ...args: unknown[]): void;
    browser: boolean;
  };
  export default process;
}
