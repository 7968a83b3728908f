import { test as base, expect } from '@playwright/test';
import { startTestServer, type TestServer } from '../support/server';
import { signInAs, type SignedIn } from './support/sign-in';

/** Each test gets its own backend process and data dir; `signIn` opens a fresh browser context. */
export const test = base.extend<{
  server: TestServer;
  serverOptions: { graceMs?: number; env?: Record<string, string> };
  signIn: (username: string) => Promise<SignedIn>;
  closeOpenedContexts: void;
}>({
  /**
   * The browser lives as long as the worker: a context a test opened and left open (a page in a
   * call, an oscillator microphone, a reconnect loop) would keep running through every later test
   * and starve them on a 2-core machine. Each test's contexts close when it ends.
   */
  closeOpenedContexts: [
    async ({ browser }, use) => {
      const before = new Set(browser.contexts());
      await use();
      for (const context of browser.contexts()) if (!before.has(context)) await context.close().catch(() => undefined);
    },
    { auto: true },
  ],
  serverOptions: [{}, { option: true }],
  server: async ({ serverOptions }, use) => {
    const server = await startTestServer(serverOptions);
    await use(server);
    await server.stop();
  },
  signIn: async ({ browser, server }, use) => {
    const opened: SignedIn[] = [];
    await use(async (username) => {
      const session = await signInAs(browser, server.url, username);
      opened.push(session);
      return session;
    });
    for (const s of opened) await s.close().catch(() => undefined);
  },
});

export { expect };
