import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { createFieldCipher, generateLocalKey } from '../../../../renderer/data/crypto/field-cipher';
import { recorderKeyScope } from '../../../../renderer/features/recording/recording-slice';
import { indexedDbChunkQueue } from '../../../../renderer/media/recorder/chunk-queue';
import { sealedChunkQueue } from '../../../../renderer/media/recorder/sealed-chunk-queue';
import { LocalDataScope } from '../../../../shared';

const AUDIO = 'what the customer said on the call';
const bytes = (text: string) => new TextEncoder().encode(text).buffer;
const text = (data: ArrayBuffer) => new TextDecoder().decode(data);
const chunk = (seq: number, words = AUDIO, serverUrl = 'http://s') => ({ recordingId: 'r1', segment: 0, seq, data: bytes(`${words} #${seq}`), serverUrl });

async function setup() {
  const inner = indexedDbChunkQueue(new IDBFactory(), IDBKeyRange);
  const key = await generateLocalKey();
  const unreadable: number[] = [];
  const sealed = sealedChunkQueue(inner, { cipher: async () => createFieldCipher(key), onUnreadable: (n) => unreadable.push(n) });
  return { inner, sealed, unreadable };
}

describe('sealed recorder queue (audio waiting for upload is encrypted at rest)', () => {
  it('stores ciphertext only, and gives the audio back intact', async () => {
    const { inner, sealed } = await setup();
    await sealed.putChunk(chunk(0));
    await sealed.putChunk(chunk(1));
    const stored = await inner.chunks();
    expect(stored.map((c) => c.sealed)).toEqual([true, true]);
    for (const c of stored) expect(Buffer.from(c.data).toString('latin1')).not.toContain('customer');
    expect((await sealed.chunks()).map((c) => text(c.data))).toEqual([`${AUDIO} #0`, `${AUDIO} #1`]);
    expect((await sealed.chunks())[0]).not.toHaveProperty('sealed');
    // The rest of the queue works through it.
    expect(await sealed.lastSeqs('r1')).toEqual([{ segment: 0, lastSeq: 1 }]);
  });

  it('a chunk moved to another place does not open: it is discarded and reported, the others still upload', async () => {
    const { inner, sealed, unreadable } = await setup();
    await sealed.putChunk(chunk(0));
    const [first] = await inner.chunks();
    await inner.putChunk({ ...first!, seq: 5 });
    expect((await sealed.chunks()).map((c) => c.seq)).toEqual([0]);
    expect(unreadable).toEqual([1]);
    expect((await inner.chunks()).map((c) => c.seq)).toEqual([0]);
  });

  it('chunks queued before encryption are read as they were; chunks under a removed key are discarded and reported', async () => {
    const { inner, sealed, unreadable } = await setup();
    await inner.putChunk(chunk(0, 'queued before'));
    await sealed.putChunk(chunk(1));
    const otherKey = sealedChunkQueue(inner, { cipher: async () => createFieldCipher(await generateLocalKey()), onUnreadable: (n) => unreadable.push(n) });
    expect((await otherKey.chunks()).map((c) => text(c.data))).toEqual(['queued before #0']);
    expect(unreadable).toEqual([1]);
    expect((await sealed.chunks()).map((c) => c.seq)).toEqual([0]);
  });

  it('without its key nothing is stored (no plaintext fallback), and the next chunk asks for the key again', async () => {
    const inner = indexedDbChunkQueue(new IDBFactory(), IDBKeyRange);
    const key = await generateLocalKey();
    let calls = 0;
    const sealed = sealedChunkQueue(inner, {
      cipher: async () => {
        calls += 1;
        if (calls === 1) throw new Error('keychain locked');
        return createFieldCipher(key);
      },
    });
    await expect(sealed.putChunk(chunk(0))).rejects.toThrow(/keychain locked/);
    expect(await inner.chunks()).toEqual([]);
    await sealed.putChunk(chunk(1));
    expect((await sealed.chunks()).map((c) => c.seq)).toEqual([1]);
  });

  it('each server has its own key scope, in the shape the desktop accepts', async () => {
    const inner = indexedDbChunkQueue(new IDBFactory(), IDBKeyRange);
    const asked: string[] = [];
    const keys = new Map<string, CryptoKey>();
    const sealed = sealedChunkQueue(inner, {
      cipher: async (serverUrl) => {
        const scope = recorderKeyScope(serverUrl);
        asked.push(scope);
        if (!keys.has(scope)) keys.set(scope, await generateLocalKey());
        return createFieldCipher(keys.get(scope)!);
      },
    });
    await sealed.putChunk(chunk(0, AUDIO, 'https://a.example:8443'));
    await sealed.putChunk(chunk(1, AUDIO, 'http://b.example'));
    await sealed.putChunk(chunk(2, AUDIO, 'https://a.example:8443'));
    expect(asked).toEqual(['~recorder@a.example:8443', '~recorder@b.example']);
    for (const scope of asked) expect(LocalDataScope.safeParse(scope).success).toBe(true);
    expect((await sealed.chunks()).map((c) => c.seq)).toEqual([0, 1, 2]);
  });
});
