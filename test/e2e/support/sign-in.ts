import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { oscillatorMicrophone } from './audio';

export interface SignedIn {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export interface SignInOptions {
  /** Default 'demo', the demo org's password. */
  password?: string;
  /** Opens the app with `?testHooks=1` (the pages' test hooks: peers, recorder runs). */
  testHooks?: boolean;
  /** The microphone is a WebAudio oscillator (support/audio.ts) instead of the fake device. */
  tone?: boolean;
  /** Runs on the fresh context before the app's first request, e.g. to install routes. */
  beforeLoad?: (context: BrowserContext) => Promise<void>;
}

/** Fills the sign-in form of an open app page and waits until the app is signed in. */
export async function submitSignIn(page: Page, username: string, password = 'demo'): Promise<void> {
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  // Sign-in hashes the password with scrypt on purpose; on a loaded 2-core machine that takes seconds.
  await expect(page.getByTestId('signout')).toBeVisible({ timeout: 15_000 });
}

/** Opens the web app in a fresh browser context and signs in there. */
export async function signInAs(browser: Browser, url: string, username: string, options: SignInOptions = {}): Promise<SignedIn> {
  const context = await browser.newContext();
  await options.beforeLoad?.(context);
  const page = await context.newPage();
  if (options.tone) await page.addInitScript(oscillatorMicrophone);
  await page.goto(`${url}/${options.testHooks ? '?testHooks=1' : ''}`);
  await expect(page.getByTestId('login-server')).toHaveValue(url);
  await submitSignIn(page, username, options.password);
  return { context, page, close: () => context.close() };
}

/** The page of a signed-in app with test hooks and an oscillator microphone, as the call tests use. */
export async function signInWithTone(browser: Browser, url: string, username: string): Promise<Page> {
  return (await signInAs(browser, url, username, { testHooks: true, tone: true })).page;
}
