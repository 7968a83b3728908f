import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BASIC_TEXT_WARNING, LOCAL_KEYS_FILE, SESSION_ONLY_WARNING, type SafeStorageLike, createLocalKeyStore } from '../../../main/local-data-keys';

/** A keychain stand-in that XORs with a secret, so sealed text differs from the key and can be checked. */
function fakeSafeStorage(opts: { available?: boolean; backend?: string; asyncApi?: boolean; reseal?: boolean } = {}) {
  const calls: string[] = [];
  const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));
  const s: SafeStorageLike = {
    isEncryptionAvailable: () => opts.available ?? true,
    encryptString: (t) => (calls.push('encryptString'), xor(Buffer.from(t))),
    decryptString: (b) => (calls.push('decryptString'), xor(b).toString()),
    getSelectedStorageBackend: () => opts.backend ?? 'gnome_libsecret',
  };
  if (opts.asyncApi !== false) {
    s.isAsyncEncryptionAvailable = async () => opts.available ?? true;
    s.encryptStringAsync = async (t) => (calls.push('encryptStringAsync'), xor(Buffer.from(t)));
    s.decryptStringAsync = async (b) => (calls.push('decryptStringAsync'), { result: xor(b).toString(), shouldReEncrypt: opts.reseal ?? false });
  }
  return { s, calls };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'veildesk-keys-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('local data key store', () => {
  it('creates one 256-bit key per scope, stores it only sealed (0600), and returns it again after a restart', async () => {
    const { s, calls } = fakeSafeStorage();
    const store = createLocalKeyStore({ dir, safeStorage: s, platform: 'linux' });
    const a = await store.getKey('u1@localhost:4280');
    expect(a.protection).toBe('os');
    expect(a.warning).toBeNull();
    expect(Buffer.from(a.key, 'base64')).toHaveLength(32);
    const b = await store.getKey('u2@localhost:4280');
    expect(b.key).not.toBe(a.key);

    const text = await readFile(path.join(dir, LOCAL_KEYS_FILE), 'utf8');
    expect(text).not.toContain(a.key);
    expect(text).not.toContain(b.key);
    expect((await stat(path.join(dir, LOCAL_KEYS_FILE))).mode & 0o777).toBe(0o600);
    expect(calls).toContain('encryptStringAsync');
    expect(calls).not.toContain('encryptString');

    const again = createLocalKeyStore({ dir, safeStorage: s, platform: 'linux' });
    expect((await again.getKey('u1@localhost:4280')).key).toBe(a.key);
  });

  it('two windows asking at once get the same new key', async () => {
    const { s } = fakeSafeStorage();
    const store = createLocalKeyStore({ dir, safeStorage: s, platform: 'win32' });
    const [x, y] = await Promise.all([store.getKey('u1@h'), store.getKey('u1@h')]);
    expect(x.key).toBe(y.key);
  });

  it('warns when Linux falls back to the basic_text store', async () => {
    const { s } = fakeSafeStorage({ backend: 'basic_text' });
    const key = await createLocalKeyStore({ dir, safeStorage: s, platform: 'linux' }).getKey('u1@h');
    expect(key.protection).toBe('basic_text');
    expect(key.warning).toBe(BASIC_TEXT_WARNING);
  });

  it('without a keychain hands out a session-only key that is never written down', async () => {
    const { s } = fakeSafeStorage({ available: false });
    const store = createLocalKeyStore({ dir, safeStorage: s, platform: 'linux' });
    const key = await store.getKey('u1@h');
    expect(key).toMatchObject({ protection: 'session_only', warning: SESSION_ONLY_WARNING });
    expect((await store.getKey('u1@h')).key).toBe(key.key);
    await expect(stat(path.join(dir, LOCAL_KEYS_FILE))).rejects.toThrow();
  });

  it('uses the sync API where the async one is missing, and re-seals when the keychain asks', async () => {
    const sync = fakeSafeStorage({ asyncApi: false });
    const k = await createLocalKeyStore({ dir, safeStorage: sync.s, platform: 'darwin' }).getKey('u1@h');
    expect(sync.calls).toEqual(['encryptString']);
    const rotating = fakeSafeStorage({ reseal: true });
    expect((await createLocalKeyStore({ dir, safeStorage: rotating.s, platform: 'darwin' }).getKey('u1@h')).key).toBe(k.key);
    expect(rotating.calls).toEqual(['decryptStringAsync', 'encryptStringAsync']);
  });

  it('forgets a key: the next request makes a new one', async () => {
    const { s } = fakeSafeStorage();
    const store = createLocalKeyStore({ dir, safeStorage: s, platform: 'linux' });
    const first = await store.getKey('u1@h');
    const other = await store.getKey('u2@h');
    await store.forgetKey('u1@h');
    expect((await store.getKey('u1@h')).key).not.toBe(first.key);
    expect((await store.getKey('u2@h')).key).toBe(other.key);
  });

  it('an unreadable keys file or sealed key gives a fresh key instead of a crash', async () => {
    const { s } = fakeSafeStorage();
    await writeFile(path.join(dir, LOCAL_KEYS_FILE), '{not json');
    const key = await createLocalKeyStore({ dir, safeStorage: s, platform: 'linux' }).getKey('u1@h');
    expect(Buffer.from(key.key, 'base64')).toHaveLength(32);
    await writeFile(path.join(dir, LOCAL_KEYS_FILE), JSON.stringify({ version: 1, keys: { 'u1@h': { sealed: Buffer.from('garbage').toString('base64') } } }));
    const fresh = await createLocalKeyStore({ dir, safeStorage: s, platform: 'linux' }).getKey('u1@h');
    expect(fresh.key).not.toBe(key.key);
  });
});
