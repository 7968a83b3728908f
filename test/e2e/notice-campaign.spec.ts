import { expect, test as base } from './fixtures';
import { perAddress, startSmtp, type TestSmtp } from '../support/smtp';

/** A real SMTP server in the test process; the backend is started pointing at it. */
const test = base.extend<{ smtp: TestSmtp }>({
  // Playwright reads a fixture's dependencies from the pattern: this one has none.
  // eslint-disable-next-line no-empty-pattern
  smtp: async ({}, use) => {
    const smtp = await startSmtp();
    await use(smtp);
    await smtp.close();
  },
  serverOptions: async ({ smtp }, use) => {
    const { config } = smtp;
    await use({
      env: {
        VEILDESK_SMTP_HOST: config.host,
        VEILDESK_SMTP_PORT: String(config.port),
        VEILDESK_SMTP_USER: config.user!,
        VEILDESK_SMTP_PASSWORD: config.password!,
        VEILDESK_SMTP_FROM: config.from,
        VEILDESK_SMTP_RATE: '20',
      },
    });
  },
});

test('an admin notifies every customer on record by e-mail from the Admin view and sees the progress', async ({ server, signIn, smtp }) => {
  for (const email of ['ann@example.test', 'ANN@example.test', 'bo@example.test', 'cy@example.test']) {
    const res = await fetch(`${server.url}/api/widget/interactions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'chat', queueId: 'general', customer: { name: 'Customer', email } }) });
    expect(res.status).toBe(201);
  }
  const admin = await signIn('admin');
  await admin.page.getByTestId('nav-admin').click();
  const send = admin.page.getByTestId('notice-campaign-send');
  await expect(send).toBeDisabled();
  await admin.page.getByTestId('notice-campaign-text').fill('Our privacy notice changed: recordings are now kept 90 days.');
  await send.click();

  const progress = admin.page.getByTestId('notice-campaign-progress');
  await expect(progress).toHaveAttribute('data-status', 'completed', { timeout: 15_000 });
  await expect(progress).toHaveText('Done: 3 of 3 sent.');
  expect(Object.fromEntries(perAddress(smtp.received))).toEqual({ 'ann@example.test': 1, 'bo@example.test': 1, 'cy@example.test': 1 });
  expect(smtp.received[0]!.raw.replace(/=\r\n/g, '')).toContain('recordings are now kept 90 days');
  // Counts only on the page and in the server's output.
  expect(await admin.page.content()).not.toContain('example.test');
  expect(server.output()).not.toContain('example.test');
});
