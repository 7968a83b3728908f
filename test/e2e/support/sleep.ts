import type { Browser } from '@playwright/test';

/**
 * A computer's sleep as the browser lives it: every process of the browser (browser, renderers,
 * GPU, network and audio services) is stopped (SIGSTOP), so no timer, task or device stream of the
 * page runs, then continued together (SIGCONT), as the whole machine resumes. The processes come
 * from Chromium's own list (SystemInfo.getProcessInfo). Call it while only the pages that should
 * sleep are open; the test's server and proxy keep running, as the rest of the world does.
 */
export async function putBrowserToSleep(browser: Browser): Promise<{ pids: number[]; wake: () => void }> {
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
  await cdp.detach();
  const pids = processInfo.map((p) => p.id).filter((pid) => pid > 0);
  if (!processInfo.some((p) => p.type === 'renderer')) throw new Error('Chromium listed no renderer process to put to sleep');
  // The browser process last, so the others stop while it still answers them.
  for (const pid of [...pids].reverse()) process.kill(pid, 'SIGSTOP');
  return {
    pids,
    wake: () => {
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGCONT');
        } catch {
          // A renderer that ended meanwhile has nothing to wake.
        }
      }
    },
  };
}
