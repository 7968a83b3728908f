import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { LocalDataKeyAnswer, LocalKeyProtection, LocalKeyUnavailableReason } from '../shared/bridge/desktop-bridge';
import { type Logger, silentLogger } from './log';

/**
 * Keys for the renderer's encrypted local data, one per scope (user @ server). Each key is 32
 * random bytes sealed with Electron's safeStorage (the OS keychain) and kept in a file in the
 * profile; only the sealed form ever touches the disk. A key that cannot be opened now (keychain
 * locked or unavailable, unreadable file) is never replaced: the answer says so, the renderer keeps
 * the local data closed and asks again. Plain module: main.ts passes safeStorage in.
 */

export const LOCAL_KEYS_FILE = 'local-data-keys.json';

/** The part of Electron's safeStorage used here: the async API, or the older sync one. */
export interface SafeStorageLike {
  isAsyncEncryptionAvailable?(): Promise<boolean>;
  encryptStringAsync?(plainText: string): Promise<Buffer>;
  decryptStringAsync?(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>;
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only. */
  getSelectedStorageBackend?(): string;
}

/** Linux keyring backends that really protect the key (safeStorage.getSelectedStorageBackend()); anything else warns. */
export const PROTECTED_LINUX_BACKENDS: ReadonlySet<string> = new Set(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']);

export const BASIC_TEXT_WARNING =
  'Your desktop has no password store Veildesk can use (GNOME Keyring or KWallet), so the key that encrypts the data ' +
  'kept on this computer is protected only by a fixed, publicly known password. Anyone who can read your user folder ' +
  'can read that data. Set up a keyring, or remove local data (Local data panel) when you finish.';

export const UNAVAILABLE_MESSAGES: Readonly<Record<Exclude<LocalKeyUnavailableReason, 'not_signed_in'>, string>> = {
  keychain_unavailable:
    'Your operating system’s keychain is not available right now, so the data Veildesk keeps on this computer stays locked. ' +
    'Unlock your keychain (or sign in to your desktop session again); Veildesk keeps trying. Nothing has been deleted.',
  unseal_failed:
    'Your operating system’s keychain refused to open the key of the data Veildesk keeps on this computer, so that data stays locked. ' +
    'Unlock your keychain or allow Veildesk access; Veildesk keeps trying. Nothing has been deleted.',
  keys_file_unreadable:
    'The file that holds the keys of the data Veildesk keeps on this computer cannot be read, so that data stays locked. ' +
    'Check the permissions of your Veildesk profile folder; Veildesk keeps trying. Nothing has been deleted.',
};

const KeysFile = z.object({
  version: z.literal(1),
  keys: z.record(z.string(), z.object({ sealed: z.string().min(1) })),
});
type KeysFile = z.infer<typeof KeysFile>;

export interface LocalKeyStore {
  /** The scope's key, made on first use; `unavailable` (never a replacement key) while it cannot be opened. */
  getKey(scope: string): Promise<LocalDataKeyAnswer>;
  /** The user's explicit choice (local data removed): the key goes; an unreadable keys file is set aside, not deleted. */
  forgetKey(scope: string): Promise<void>;
}

export interface LocalKeyStoreOptions {
  /** app.getPath('userData') */
  dir: string;
  safeStorage: SafeStorageLike;
  platform: NodeJS.Platform;
  randomBytes?: (n: number) => Buffer;
  now?: () => Date;
  log?: Logger;
}

const KEY_TEXT = /^[A-Za-z0-9+/]{43}=$/;

/** The file could not be read or parsed: nothing in it may be overwritten. */
class KeysFileUnreadable extends Error {}

export function createLocalKeyStore(options: LocalKeyStoreOptions): LocalKeyStore {
  const log = options.log ?? silentLogger;
  const random = options.randomBytes ?? nodeRandomBytes;
  const filePath = path.join(options.dir, LOCAL_KEYS_FILE);
  const safe = options.safeStorage;
  // One read-modify-write at a time: two windows asking at once must not each create a key.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };

  async function available(): Promise<boolean> {
    try {
      if (safe.isAsyncEncryptionAvailable) return await safe.isAsyncEncryptionAvailable();
      return safe.isEncryptionAvailable();
    } catch {
      return false;
    }
  }

  async function seal(text: string): Promise<Buffer> {
    return safe.encryptStringAsync ? safe.encryptStringAsync(text) : safe.encryptString(text);
  }

  async function unseal(sealed: Buffer): Promise<{ text: string; reseal: boolean }> {
    if (safe.decryptStringAsync) {
      const { result, shouldReEncrypt } = await safe.decryptStringAsync(sealed);
      return { text: result, reseal: shouldReEncrypt };
    }
    return { text: safe.decryptString(sealed), reseal: false };
  }

  function protection(): LocalKeyProtection {
    if (options.platform !== 'linux') return 'os';
    let backend: string | undefined;
    try {
      backend = safe.getSelectedStorageBackend?.();
    } catch {
      backend = undefined;
    }
    return backend !== undefined && PROTECTED_LINUX_BACKENDS.has(backend) ? 'os' : 'basic_text';
  }

  /** The keys file; empty only when there is none. Anything unreadable throws KeysFileUnreadable. */
  async function load(): Promise<KeysFile> {
    let text: string;
    try {
      text = await readFile(filePath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, keys: {} };
      log.error('could not read the local data keys', { error: String(error) });
      throw new KeysFileUnreadable();
    }
    try {
      const parsed = KeysFile.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
    } catch {
      // fall through
    }
    log.error('the local data keys file is unusable; local data stays locked until the user removes it');
    throw new KeysFileUnreadable();
  }

  async function save(file: KeysFile): Promise<void> {
    await mkdir(options.dir, { recursive: true });
    const temp = `${filePath}.tmp`;
    await writeFile(temp, `${JSON.stringify(file)}\n`, { encoding: 'utf8', mode: 0o600 });
    await rename(temp, filePath);
  }

  const unavailable = (reason: keyof typeof UNAVAILABLE_MESSAGES): LocalDataKeyAnswer => ({ status: 'unavailable', reason, message: UNAVAILABLE_MESSAGES[reason] });

  async function getKey(scope: string): Promise<LocalDataKeyAnswer> {
    // A keychain that is not there now may be back in a moment (locked, session not ready): wait, never replace.
    if (!(await available())) return unavailable('keychain_unavailable');
    const level = protection();
    const ready = (key: string): LocalDataKeyAnswer => ({ status: 'ready', key, protection: level, warning: level === 'basic_text' ? BASIC_TEXT_WARNING : null });
    let file: KeysFile;
    try {
      file = await load();
    } catch (error) {
      if (error instanceof KeysFileUnreadable) return unavailable('keys_file_unreadable');
      throw error;
    }
    const entry = file.keys[scope];
    if (entry) {
      let opened: { text: string; reseal: boolean };
      try {
        opened = await unseal(Buffer.from(entry.sealed, 'base64'));
      } catch (error) {
        // The sealed key stays as it is: the keychain may open it later; only the user removes it.
        log.warn('could not unseal a local data key; the local data stays locked', { error: String(error) });
        return unavailable('unseal_failed');
      }
      if (!KEY_TEXT.test(opened.text)) {
        log.warn('a local data key unsealed to something that is not a key; the local data stays locked');
        return unavailable('unseal_failed');
      }
      if (opened.reseal) {
        file.keys[scope] = { sealed: (await seal(opened.text)).toString('base64') };
        await save(file);
      }
      return ready(opened.text);
    }
    const key = random(32).toString('base64');
    file.keys[scope] = { sealed: (await seal(key)).toString('base64') };
    await save(file);
    return ready(key);
  }

  async function forgetKey(scope: string): Promise<void> {
    let file: KeysFile;
    try {
      file = await load();
    } catch (error) {
      if (!(error instanceof KeysFileUnreadable)) throw error;
      // The user chose to remove their data; the other scopes' keys in the file are kept aside, not deleted.
      const stamp = (options.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
      await rename(filePath, `${filePath}.unreadable-${stamp}`);
      log.warn('set the unreadable local data keys file aside');
      return;
    }
    if (!(scope in file.keys)) return;
    delete file.keys[scope];
    await save(file);
  }

  return {
    getKey: (scope) => serial(() => getKey(scope)),
    forgetKey: (scope) => serial(() => forgetKey(scope)),
  };
}
