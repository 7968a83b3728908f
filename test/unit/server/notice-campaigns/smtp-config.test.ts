import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../server/config';
import { sendFailure } from '../../../../server/modules/notice-campaigns/smtp-mailer';

const base = { VEILDESK_DATA_DIR: '/tmp/veildesk-config-test', VEILDESK_MEDIA_WORKERS: '0' };

describe('SMTP settings (VEILDESK_SMTP_*)', () => {
  it('are off without a host, with the rate and retry defaults', () => {
    const config = loadConfig(base, []);
    expect(config.smtp).toBeNull();
    expect(config).toMatchObject({ noticeRatePerSecond: 5, noticeMaxAttempts: 3, noticeRetryMs: 60_000 });
  });

  it('read host, port, TLS, login and sender; the port follows TLS when not given', () => {
    const config = loadConfig({ ...base, VEILDESK_SMTP_HOST: 'smtp.example.com', VEILDESK_SMTP_SECURE: 'true', VEILDESK_SMTP_USER: 'u', VEILDESK_SMTP_PASSWORD: 'p', VEILDESK_SMTP_FROM: 'privacy@example.com', VEILDESK_SMTP_RATE: '2' }, []);
    expect(config.smtp).toEqual({ host: 'smtp.example.com', port: 465, secure: true, user: 'u', password: 'p', from: 'privacy@example.com' });
    expect(config.noticeRatePerSecond).toBe(2);
    expect(loadConfig({ ...base, VEILDESK_SMTP_HOST: 'smtp.example.com', VEILDESK_SMTP_FROM: 'privacy@example.com' }, []).smtp).toMatchObject({ port: 587, secure: false });
  });

  it('refuse to start with a missing sender, half a login, a bad flag or settings without a host', () => {
    expect(() => loadConfig({ ...base, VEILDESK_SMTP_HOST: 'smtp.example.com' }, [])).toThrow(/VEILDESK_SMTP_FROM is needed/);
    expect(() => loadConfig({ ...base, VEILDESK_SMTP_HOST: 'h', VEILDESK_SMTP_FROM: 'a@b.c', VEILDESK_SMTP_USER: 'u' }, [])).toThrow(/both VEILDESK_SMTP_USER and VEILDESK_SMTP_PASSWORD/);
    expect(() => loadConfig({ ...base, VEILDESK_SMTP_HOST: 'h', VEILDESK_SMTP_FROM: 'a@b.c', VEILDESK_SMTP_SECURE: 'yes' }, [])).toThrow(/VEILDESK_SMTP_SECURE is "yes": use true or false/);
    expect(() => loadConfig({ ...base, VEILDESK_SMTP_FROM: 'a@b.c' }, [])).toThrow(/without VEILDESK_SMTP_HOST/);
    expect(() => loadConfig({ ...base, VEILDESK_SMTP_RATE: '0' }, [])).toThrow(/noticeRatePerSecond/);
  });
});

describe('sendFailure', () => {
  it('keeps the SMTP reply code or the error code, never the text (it can quote the address)', () => {
    expect(sendFailure(Object.assign(new Error('550 <ann@example.test> no such user'), { responseCode: 550, code: 'EENVELOPE' }))).toEqual({ reason: 'smtp_550', permanent: true });
    expect(sendFailure(Object.assign(new Error('451 later'), { responseCode: 451 }))).toEqual({ reason: 'smtp_451', permanent: false });
    expect(sendFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNECTION' }))).toEqual({ reason: 'ECONNECTION', permanent: false });
    expect(sendFailure(new Error('ann@example.test'))).toEqual({ reason: 'send_failed', permanent: false });
  });
});
