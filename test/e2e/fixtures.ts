import { test as base, expect, type Browser, type Page } from '@playwright/test';
import { startTestServer, type TestServer } from '../support/server';

export interface SignedIn {
  page: Page;
  close(): Promise<void>;
}

/** Each test gets its own backend process and data dir; `signIn` opens a fresh browser context. */
export const test = base.extend<{ server: TestServer; serverOptions: { graceMs?: number; env?: Record<string, string> }; signIn: (username: string) => Promise<SignedIn> }>({
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

export async function signInAs(
  browser: Browser,
  url: string,
  username: string,
  password = 'demo',
  opts: { query?: string; initScript?: () => void } = {},
): Promise<SignedIn> {
  const context = await browser.newContext();
  const page = await context.newPage();
  if (opts.initScript) await page.addInitScript(opts.initScript);
  await page.goto(`${url}/${opts.query ?? ''}`);
  await expect(page.getByTestId('login-server')).toHaveValue(url);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  // Sign-in hashes the password with scrypt on purpose; on a loaded 2-core machine that takes seconds.
  await expect(page.getByTestId('signout')).toBeVisible({ timeout: 15_000 });
  return { page, close: () => context.close() };
}

export { expect };
