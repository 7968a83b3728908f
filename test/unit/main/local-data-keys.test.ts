import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalDataKeyAnswer } from '../../../shared';
import { BASIC_TEXT_WARNING, LOCAL_KEYS_FILE, type SafeStorageLike, UNAVAILABLE_MESSAGES, createLocalKeyStore } from '../../../main/local-data-keys';

/** The key of a ready answer (fails the test on any other answer). */
function ready(answer: LocalDataKeyAnswer) {
  if (answer.status !== 'ready') throw new Error(`expected a key, got ${answer.status}: ${answer.reason}`);
  return answer;
}

/** A keychain stand-in that XORs with a secret, so sealed text differs from the key and can be checked. */
function fakeSafeStorage(opts: { available?: boolean; backend?: string; asyncApi?: boolean; reseal?: boolean; failDecrypt?: boolean } = {}) {
  const calls: string[] = [];
  const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));
  // Mutable: a test turns the keychain off and on again.
  const state = { available: opts.available ?? true, failDecrypt: opts.failDecrypt ?? false };
  const decrypt = (b: Buffer) => {
    if (state.failDecrypt) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return xor(b).toString();
  };
  const s: SafeStorageLike = {
    isEncryptionAvailable: () => state.available,
    encryptString: (t) => (calls.push('encryptString'), xor(Buffer.from(t))),
    decryptString: (b) => (calls.push('decryptString'), decrypt(b)),
    getSelectedStorageBackend: () => opts.backend ?? 'gnome_libsecret',
  };
  if (opts.asyncApi !== false) {
    s.isAsyncEncryptionAvailable = async () => state.available;
    s.encryptStringAsync = async (t) => (calls.push('encryptStringAsync'), xor(Buffer.from(t)));
    s.decryptStringAsync = async (b) => (calls.push('decryptStringAsync'), { result: decrypt(b), shouldReEncrypt: opts.reseal ?? false });
  }
  return { s, calls, state };
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
    const a = ready(await store.getKey('u1@localhost:4280'));
    expect(a.protection).toBe('os');
    expect(a.warning).toBeNull();
    expect(Buffer.from(a.key, 'base64')).toHaveLength(32);
    const b = ready(await store.getKey('u2@localhost:4280'));
    expect(b.key).not.toBe(a.key);

    const text = await readFile(path.join(dir, LOCAL_KEYS_FILE), 'utf8');
    expect(text).not.toContain(a.key);
    expect(text).not.toContain(b.key);
    expect((await stat(path.join(dir, LOCAL_KEYS_FILE))).mode & 0o777).toBe(0o600);
    expect(calls).toContain('encryptStringAsync');
    expect(calls).not.toContain('encryptString');

    const again = createLocalKeyStore({ dir, safeStorage: s, platform: 'linux' });
    expect(ready(await again.getKey('u1@localhost:4280')).key).toBe(a.key);
  });

  it('two windows asking at once get the same new key', async () => {
    const { s } = fakeSafeStorage();
    const store = createLocalKeyStore({ dir, safeStorage: s, platform: 'win32' });
    const [x, y] = await Promise.all([store.getKey('u1@h'), store.getKey('u1@h')]);
    expect(ready(x).key).toBe(ready(y).key);
  });

  it('on Linux only the known keyring backends count as protected; anything else warns like basic_text', async () => {
    const levels: Record<string, string> = {};
    for (const backend of ['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6', 'basic_text', 'unknown', 'gnome_keyring_future']) {
      const { s } = fakeSafeStorage({ backend });
      const key = ready(await createLocalKeyStore({ dir, safeStorage: s, platform: 'linux' }).getKey(`u-${backend}@h`));
      levels[backend] = key.protection;
      expect(key.warning).toBe(key.protection === 'basic_text' ? BASIC_TEXT_WARNING : null);
    }
    expect(levels).toEqual({ gnome_libsecret: 'os', kwallet: 'os', kwallet5: 'os', kwallet6: 'os', basic_text: 'basic_text', unknown: 'basic_text', gnome_keyring_future: 'basic_text' });
    // Elsewhere the OS keychain is the only store safeStorage has.
    const { s } = fakeSafeStorage({ backend: 'unknown' });
    expect(ready(await createLocalKeyStore({ dir, safeStorage: s, platform: 'win32' }).getKey('u1@h')).protection).toBe('os');
  });

  it('while the keychain is unavailable hands out no key, writes nothing, and gives the stored key once it is back', async () => {
    const { s, state } = fakeSafeStorage();
    const store = createLocalKeyStore({ dir, safeStorage: s, platform: 'darwin' });
    const before = ready(await store.getKey('u1@h'));
    const file = await readFile(path.join(dir, LOCAL_KEYS_FILE));
    state.available = false;
    expect(await store.getKey('u1@h')).toEqual({ status: 'unavailable', reason: 'keychain_unavailable', message: UNAVAILABLE_MESSAGES.keychain_unavailable });
    // A scope never seen before gets no key either (its database may exist): nothing is made up meanwhile.
    expect(await store.getKey('u2@h')).toMatchObject({ status: 'unavailable', reason: 'keychain_unavailable' });
    expect(await readFile(path.join(dir, LOCAL_KEYS_FILE))).toEqual(file);
    state.available = true;
    expect(ready(await store.getKey('u1@h')).key).toBe(before.key);
  });

  it('a sealed key that fails to unseal is never overwritten: the same key opens once the keychain does', async () => {
    const { s, state } = fakeSafeStorage();
    const store = createLocalKeyStore({ dir, safeStorage: s, platform: 'linux' });
    const before = ready(await store.getKey('u1@h'));
    const file = await readFile(path.join(dir, LOCAL_KEYS_FILE));
    state.failDecrypt = true;
    for (let i = 0; i < 3; i += 1) expect(await store.getKey('u1@h')).toMatchObject({ status: 'unavailable', reason: 'unseal_failed' });
    expect(await readFile(path.join(dir, LOCAL_KEYS_FILE))).toEqual(file);
    state.failDecrypt = false;
    expect(ready(await store.getKey('u1@h')).key).toBe(before.key);
  });

  it('uses the sync API where the async one is missing, and re-seals when the keychain asks', async () => {
    const sync = fakeSafeStorage({ asyncApi: false });
    const k = ready(await createLocalKeyStore({ dir, safeStorage: sync.s, platform: 'darwin' }).getKey('u1@h'));
    expect(sync.calls).toEqual(['encryptString']);
    const rotating = fakeSafeStorage({ reseal: true });
    expect(ready(await createLocalKeyStore({ dir, safeStorage: rotating.s, platform: 'darwin' }).getKey('u1@h')).key).toBe(k.key);
    expect(rotating.calls).toEqual(['decryptStringAsync', 'encryptStringAsync']);
  });

  it('forgets a key: the next request makes a new one', async () => {
    const { s } = fakeSafeStorage();
    const store = createLocalKeyStore({ dir, safeStorage: s, platform: 'linux' });
    const first = ready(await store.getKey('u1@h'));
    const other = ready(await store.getKey('u2@h'));
    await store.forgetKey('u1@h');
    expect(ready(await store.getKey('u1@h')).key).not.toBe(first.key);
    expect(ready(await store.getKey('u2@h')).key).toBe(other.key);
  });

  it('an unreadable keys file or sealed key locks the data instead of replacing the key; forgetting sets the file aside', async () => {
    const { s } = fakeSafeStorage();
    const filePath = path.join(dir, LOCAL_KEYS_FILE);
    await writeFile(filePath, '{not json');
    const store = createLocalKeyStore({ dir, safeStorage: s, platform: 'linux', now: () => new Date('2030-01-01T00:00:00Z') });
    expect(await store.getKey('u1@h')).toMatchObject({ status: 'unavailable', reason: 'keys_file_unreadable' });
    expect(await readFile(filePath, 'utf8')).toBe('{not json');
    // The user chose to remove their local data: the unreadable file is kept aside, and keys work again.
    await store.forgetKey('u1@h');
    expect((await readdir(dir)).sort()).toEqual([`${LOCAL_KEYS_FILE}.unreadable-2030-01-01T00-00-00-000Z`]);
    expect(ready(await store.getKey('u1@h')).key).toHaveLength(44);

    await writeFile(filePath, JSON.stringify({ version: 1, keys: { 'u1@h': { sealed: Buffer.from('garbage').toString('base64') } } }));
    const text = await readFile(filePath, 'utf8');
    expect(await store.getKey('u1@h')).toMatchObject({ status: 'unavailable', reason: 'unseal_failed' });
    expect(await readFile(filePath, 'utf8')).toBe(text);
  });
});
