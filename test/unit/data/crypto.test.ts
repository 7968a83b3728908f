import { describe, expect, it } from 'vitest';
import { LocalDataUnreadableError, createFieldCipher, generateLocalKey, importRawKey } from '../../../renderer/data/crypto/field-cipher';
import { webKeyProvider } from '../../../renderer/data/crypto/local-key';
import { freshIdb } from './helpers';

describe('field cipher (AES-256-GCM)', () => {
  it('round-trips values, with a fresh IV each time and no plaintext in the bytes', async () => {
    const cipher = createFieldCipher(await generateLocalKey());
    const value = { text: 'My card number is 4111 1111 1111 1111', authorName: 'Ada Customer' };
    const a = await cipher.seal(value, 'message:m1');
    const b = await cipher.seal(value, 'message:m1');
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    expect(Buffer.from(a).toString('latin1')).not.toContain('4111');
    expect(Buffer.from(a).toString('latin1')).not.toContain('Ada');
    expect(await cipher.open(a, 'message:m1')).toEqual(value);
  });

  it('refuses a value moved to another row, a tampered value, and another key', async () => {
    const cipher = createFieldCipher(await generateLocalKey());
    const sealed = await cipher.seal({ text: 'hello' }, 'note:n1');
    await expect(cipher.open(sealed, 'note:n2')).rejects.toBeInstanceOf(LocalDataUnreadableError);
    const tampered = sealed.slice();
    tampered[tampered.length - 1]! ^= 1;
    await expect(cipher.open(tampered, 'note:n1')).rejects.toBeInstanceOf(LocalDataUnreadableError);
    await expect(createFieldCipher(await generateLocalKey()).open(sealed, 'note:n1')).rejects.toBeInstanceOf(LocalDataUnreadableError);
    await expect(cipher.open(new Uint8Array([9, 9, 9]), 'note:n1')).rejects.toThrow(/format/);
  });

  it('sealMany seals each value for its own row with its own IV, across more IVs than one random call gives', async () => {
    const cipher = createFieldCipher(await generateLocalKey());
    const items = Array.from({ length: 6000 }, (_, i) => ({ value: { text: `message ${i}` }, context: `message:m${i}` }));
    const sealed = await cipher.sealMany(items);
    expect(sealed).toHaveLength(6000);
    const ivs = new Set(sealed.map((b) => Buffer.from(b.subarray(1, 13)).toString('hex')));
    expect(ivs.size).toBe(6000);
    for (const i of [0, 1, 5460, 5461, 5999]) expect(await cipher.open(sealed[i]!, `message:m${i}`)).toEqual({ text: `message ${i}` });
    await expect(cipher.open(sealed[1]!, 'message:m0')).rejects.toBeInstanceOf(LocalDataUnreadableError);
    expect(await cipher.sealMany([])).toEqual([]);
  });

  it('sealBytes keeps raw bytes (recorded audio) apart from JSON values: each opens only as what it is', async () => {
    const cipher = createFieldCipher(await generateLocalKey());
    const audio = new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 1, 2, 3, 250]);
    const sealed = await cipher.sealBytes(audio, 'recording-chunk:r1:0:0');
    expect(Array.from(sealed.subarray(0, 4))).not.toEqual([0x1a, 0x45, 0xdf, 0xa3]);
    expect(Array.from(await cipher.openBytes(sealed, 'recording-chunk:r1:0:0'))).toEqual(Array.from(audio));
    await expect(cipher.openBytes(sealed, 'recording-chunk:r1:0:1')).rejects.toBeInstanceOf(LocalDataUnreadableError);
    await expect(cipher.open(sealed, 'recording-chunk:r1:0:0')).rejects.toThrow(/format/);
    await expect(cipher.openBytes(await cipher.seal('json', 'x'), 'x')).rejects.toThrow(/format/);
  });

  it('keys are never extractable, generated or imported from the desktop key bytes', async () => {
    const generated = await generateLocalKey();
    await expect(crypto.subtle.exportKey('raw', generated)).rejects.toThrow();
    const imported = await importRawKey(Buffer.alloc(32, 7).toString('base64'));
    expect(imported.extractable).toBe(false);
    const cipher = createFieldCipher(imported);
    const again = createFieldCipher(await importRawKey(Buffer.alloc(32, 7).toString('base64')));
    expect(await again.open(await cipher.seal('same key', 'x'), 'x')).toBe('same key');
  });
});

describe('web key provider', () => {
  it('keeps one non-extractable key per scope in IndexedDB, across reopen, until forgotten', async () => {
    const idb = freshIdb();
    const keys = webKeyProvider(idb.indexedDB, idb.IDBKeyRange);
    const first = await keys.get('u1@host');
    expect(first.keeping).toBe('browser_profile');
    expect(first.key.extractable).toBe(false);
    const sealed = await createFieldCipher(first.key).seal('kept', 'x');

    const reopened = webKeyProvider(idb.indexedDB, idb.IDBKeyRange);
    expect(await createFieldCipher((await reopened.get('u1@host')).key).open(sealed, 'x')).toBe('kept');
    const other = await reopened.get('u2@host');
    await expect(createFieldCipher(other.key).open(sealed, 'x')).rejects.toThrow();

    await reopened.forget('u1@host');
    await expect(createFieldCipher((await reopened.get('u1@host')).key).open(sealed, 'x')).rejects.toThrow();
  });
});
