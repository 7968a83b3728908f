import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { LocalDataKeyMaterial, LocalKeyProtection } from '../shared/bridge/desktop-bridge';
import { type Logger, silentLogger } from './log';

/**
 * Keys for the renderer's encrypted local data, one per scope (user @ server). Each key is 32
 * random bytes sealed with Electron's safeStorage (the OS keychain) and kept in a file in the
 * profile; only the sealed form ever touches the disk. Plain module: main.ts passes safeStorage in.
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

export const BASIC_TEXT_WARNING =
  'Your desktop has no password store Veildesk can use (GNOME Keyring or KWallet), so the key that encrypts the data ' +
  'kept on this computer is protected only by a fixed, publicly known password. Anyone who can read your user folder ' +
  'can read that data. Set up a keyring, or remove local data (Local data panel) when you finish.';

export const SESSION_ONLY_WARNING =
  'This computer offers no keychain to protect the key of your local data, so it is not stored: ' +
  'what Veildesk keeps here is readable only while the app is open and is downloaded again next time.';

const KeysFile = z.object({
  version: z.literal(1),
  keys: z.record(z.string(), z.object({ sealed: z.string().min(1) })),
});
type KeysFile = z.infer<typeof KeysFile>;

export interface LocalKeyStore {
  getKey(scope: string): Promise<LocalDataKeyMaterial>;
  forgetKey(scope: string): Promise<void>;
}

export interface LocalKeyStoreOptions {
  /** app.getPath('userData') */
  dir: string;
  safeStorage: SafeStorageLike;
  platform: NodeJS.Platform;
  randomBytes?: (n: number) => Buffer;
  log?: Logger;
}

export function createLocalKeyStore(options: LocalKeyStoreOptions): LocalKeyStore {
  const log = options.log ?? silentLogger;
  const random = options.randomBytes ?? nodeRandomBytes;
  const filePath = path.join(options.dir, LOCAL_KEYS_FILE);
  const safe = options.safeStorage;
  // Keys handed out this run without being stored (no keychain), so every window gets the same one.
  const sessionKeys = new Map<string, string>();
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
    return safe.getSelectedStorageBackend?.() === 'basic_text' ? 'basic_text' : 'os';
  }

  async function load(): Promise<KeysFile> {
    let text: string;
    try {
      text = await readFile(filePath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') log.error('could not read the local data keys', { error: String(error) });
      return { version: 1, keys: {} };
    }
    try {
      const parsed = KeysFile.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
    } catch {
      // fall through
    }
    // Unreadable keys mean unreadable local data: the renderer notices and downloads it again.
    log.warn('local data keys file was unusable; starting with no keys');
    return { version: 1, keys: {} };
  }

  async function save(file: KeysFile): Promise<void> {
    await mkdir(options.dir, { recursive: true });
    const temp = `${filePath}.tmp`;
    await writeFile(temp, `${JSON.stringify(file)}\n`, { encoding: 'utf8', mode: 0o600 });
    await rename(temp, filePath);
  }

  const newKey = () => random(32).toString('base64');

  return {
    getKey: (scope) =>
      serial(async () => {
        if (!(await available())) {
          let key = sessionKeys.get(scope);
          if (!key) sessionKeys.set(scope, (key = newKey()));
          return { key, protection: 'session_only', warning: SESSION_ONLY_WARNING };
        }
        const level = protection();
        const warning = level === 'basic_text' ? BASIC_TEXT_WARNING : null;
        const file = await load();
        const entry = file.keys[scope];
        if (entry) {
          try {
            const { text, reseal } = await unseal(Buffer.from(entry.sealed, 'base64'));
            if (/^[A-Za-z0-9+/]{43}=$/.test(text)) {
              if (reseal) {
                file.keys[scope] = { sealed: (await seal(text)).toString('base64') };
                await save(file);
              }
              return { key: text, protection: level, warning };
            }
          } catch (error) {
            log.warn('could not unseal a local data key; making a new one (the old local data is unreadable)', { error: String(error) });
          }
        }
        const key = newKey();
        file.keys[scope] = { sealed: (await seal(key)).toString('base64') };
        await save(file);
        return { key, protection: level, warning };
      }),
    forgetKey: (scope) =>
      serial(async () => {
        sessionKeys.delete(scope);
        const file = await load();
        if (!(scope in file.keys)) return;
        delete file.keys[scope];
        await save(file);
      }),
  };
}
