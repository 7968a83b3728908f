import fs from 'node:fs';
import fsp from 'node:fs/promises';

/** Files the server writes hold personal data or keys: readable by the server's user only. */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/**
 * Creates the folder (and its parents) if needed and makes it 0700. mkdir's mode applies only to
 * a folder it creates (and passes through the umask), so an existing one is set too.
 */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await fsp.mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  await fsp.chmod(dir, PRIVATE_DIR_MODE).catch((err: unknown) => {
    throw notPrivate(dir, err);
  });
}

export function ensurePrivateDirSync(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  try {
    fs.chmodSync(dir, PRIVATE_DIR_MODE);
  } catch (err) {
    throw notPrivate(dir, err);
  }
}

/** A folder of another user cannot be made private by this one: say what to do. */
function notPrivate(dir: string, err: unknown): Error {
  return new Error(`Cannot make ${dir} private (mode 0700): ${err instanceof Error ? err.message : String(err)}. Give the folder to the user the server runs as (chown), or set VEILDESK_DATA_DIR to a folder of that user.`);
}

/** Makes an existing file 0600 (an install from before this rule); a missing one is fine. */
export function makePrivateSync(file: string): void {
  try {
    fs.chmodSync(file, PRIVATE_FILE_MODE);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
