import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The key file's name under the data dir, created at the first start when no key is configured. */
export const AUDIT_KEY_FILE = 'audit-hmac.key';

/** Shortest key accepted from VEILDESK_AUDIT_KEY (characters): HMAC-SHA256 wants at least 32 bytes. */
export const MIN_AUDIT_KEY_LENGTH = 32;

/**
 * The audit chain's HMAC key: VEILDESK_AUDIT_KEY when set (every server sharing one PostgreSQL
 * database must use the same), else `<dataDir>/audit-hmac.key`, created once with 32 random bytes
 * and mode 0600. Without the key the log cannot be verified: back it up with the database.
 */
export function loadAuditKey(config: { dataDir: string; auditKey?: string | undefined }): Buffer {
  if (config.auditKey) return Buffer.from(config.auditKey, 'utf8');
  const file = path.join(config.dataDir, AUDIT_KEY_FILE);
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  try {
    // 'wx': only the first start creates it; a second server racing it reads the winner's key below.
    fs.writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`Could not create the audit key file ${file}: ${(err as Error).message}. Make the data dir writable, or set VEILDESK_AUDIT_KEY.`, { cause: err });
  }
  const text = fs.readFileSync(file, 'utf8').trim();
  if (text.length < MIN_AUDIT_KEY_LENGTH) {
    throw new Error(`The audit key file ${file} holds fewer than ${MIN_AUDIT_KEY_LENGTH} characters. Restore it from your backup (the audit log cannot be verified without it), or set VEILDESK_AUDIT_KEY.`);
  }
  return Buffer.from(text, 'utf8');
}
