import { SMTPServer } from 'smtp-server';
import type { SmtpConfig } from '../../server/config';

/** One message the test SMTP server accepted. */
export interface ReceivedMail {
  /** Envelope recipients, lower-cased. */
  to: string[];
  from: string;
  raw: string;
  at: number;
}

export interface TestSmtp {
  port: number;
  /** What the server accepted, in order. */
  received: ReceivedMail[];
  /** RCPT TO tries per address (lower-cased), accepted or refused. */
  attempts: Map<string, number>;
  /** The settings that point the backend at this server. */
  config: SmtpConfig;
  close(): Promise<void>;
}

export const SMTP_USER = 'notices';
export const SMTP_PASSWORD = 'smtp-secret';

/**
 * A real SMTP server (the smtp-server package) on a free loopback port, with a login the backend
 * must use. `refuse` may answer an RCPT TO with an SMTP error (e.g. 451 or 550) by address and try.
 */
export async function startSmtp(opts: { refuse?: (address: string, attempt: number) => { code: number; message: string } | null } = {}): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  const attempts = new Map<string, number>();
  const server = new SMTPServer({
    // Plain text on loopback; the backend authenticates all the same.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) callback(null, { user: auth.username });
      else callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      const to = address.address.toLowerCase();
      const attempt = (attempts.get(to) ?? 0) + 1;
      attempts.set(to, attempt);
      const refusal = opts.refuse?.(to, attempt);
      if (refusal) callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          to: session.envelope.rcptTo.map((a) => a.address.toLowerCase()),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          raw: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    received,
    attempts,
    config: { host: '127.0.0.1', port, secure: false, user: SMTP_USER, password: SMTP_PASSWORD, from: 'Privacy team <privacy@veildesk.test>' },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** How many messages each address received. */
export function perAddress(received: readonly ReceivedMail[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of received) for (const to of m.to) counts.set(to, (counts.get(to) ?? 0) + 1);
  return counts;
}
