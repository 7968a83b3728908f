import { type FieldCipher, LocalDataUnreadableError } from '../../data/crypto/field-cipher';
import { type ChunkQueue, type QueuedChunk } from './chunk-queue';

/**
 * The upload queue with the audio encrypted at rest: what was said on a call waits on the agent's
 * disk only as AES-GCM ciphertext, under a recorder key per server on this machine (the OS keychain
 * in the desktop app, a non-extractable browser key on the web; renderer/data/crypto/local-key.ts). Each chunk is
 * bound to its place (recording, segment, seq), so a chunk copied elsewhere does not open.
 *
 * Chunks queued before this existed are plain and are read as they are. A chunk that no longer
 * opens (its key was removed) can never be uploaded: it is deleted and reported.
 */
export function sealedChunkQueue(inner: ChunkQueue, o: { cipher(serverUrl: string): Promise<FieldCipher>; onUnreadable?(count: number): void }): ChunkQueue {
  const ciphers = new Map<string, Promise<FieldCipher>>();
  const getCipher = (serverUrl: string) => {
    let cipher = ciphers.get(serverUrl);
    if (!cipher) {
      cipher = o.cipher(serverUrl).catch((error: unknown) => {
        ciphers.delete(serverUrl); // try again next time (e.g. the keychain was locked)
        throw error;
      });
      ciphers.set(serverUrl, cipher);
    }
    return cipher;
  };
  const context = (c: Pick<QueuedChunk, 'recordingId' | 'segment' | 'seq'>) => `recording-chunk:${c.recordingId}:${c.segment ?? 0}:${c.seq}`;

  return {
    ...inner,
    async putChunk(chunk) {
      const sealed = await (await getCipher(chunk.serverUrl)).sealBytes(chunk.data, context(chunk));
      await inner.putChunk({ ...chunk, data: sealed.buffer, sealed: true });
    },
    async chunks(which) {
      const stored = await inner.chunks(which);
      const out: QueuedChunk[] = [];
      let unreadable = 0;
      for (const chunk of stored) {
        if (!chunk.sealed) {
          out.push(chunk);
          continue;
        }
        try {
          const { sealed: _sealed, ...plain } = chunk;
          const cipher = await getCipher(chunk.serverUrl);
          out.push({ ...plain, data: (await cipher.openBytes(new Uint8Array(chunk.data), context(chunk))).buffer });
        } catch (error) {
          if (!(error instanceof LocalDataUnreadableError)) throw error;
          unreadable += 1;
          await inner.deleteChunk(chunk.recordingId, chunk.segment ?? 0, chunk.seq);
        }
      }
      if (unreadable > 0) o.onUnreadable?.(unreadable);
      return out;
    },
  };
}
