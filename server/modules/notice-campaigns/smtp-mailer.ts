import nodemailer from 'nodemailer';
import type { SmtpConfig } from '../../config';

/** One notice to one address. */
export interface NoticeMessage {
  to: string;
  subject: string;
  text: string;
}

/** Why a send failed, without the server's reply text (it can quote the address). */
export interface SendFailure {
  /** `smtp_550`, `ECONNECTION`, `ETIMEDOUT`, `EAUTH`, … */
  reason: string;
  /** The server refused for good (a 5xx reply): no retry. */
  permanent: boolean;
}

/** Hands notices to the SMTP server; resolves once the server accepted the message. */
export interface NoticeMailer {
  send(message: NoticeMessage): Promise<void>;
  close(): void;
}

/** nodemailer over one pooled connection to the configured server; it logs nothing (its logger is off). */
export function smtpMailer(config: SmtpConfig): NoticeMailer {
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    ...(config.user !== undefined && config.password !== undefined ? { auth: { user: config.user, pass: config.password } } : {}),
    pool: true,
    maxConnections: 1,
    logger: false,
    debug: false,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
  return {
    async send(message) {
      // One recipient per message: no customer sees another's address.
      await transport.sendMail({ from: config.from, to: message.to, subject: message.subject, text: message.text, headers: { 'Auto-Submitted': 'auto-generated' } });
    },
    close: () => transport.close(),
  };
}

/** Reads nodemailer's error into a reason code; the message text is dropped on purpose. */
export function sendFailure(err: unknown): SendFailure {
  const e = (err ?? {}) as { responseCode?: unknown; code?: unknown };
  if (typeof e.responseCode === 'number') return { reason: `smtp_${e.responseCode}`, permanent: e.responseCode >= 500 && e.responseCode < 600 };
  const code = typeof e.code === 'string' && /^[A-Z_]{2,32}$/.test(e.code) ? e.code : 'send_failed';
  return { reason: code, permanent: false };
}
