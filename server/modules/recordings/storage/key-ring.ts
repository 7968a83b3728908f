import { createHash } from 'node:crypto';

/** One AES-256 key and the id stored with every file it sealed. */
export interface RecordingKey {
  id: string;
  key: Buffer;
}

/**
 * The at-rest keys: the current one seals new files; older ones only open files sealed before a
 * rotation. A key's id is derived from the key (a hash, not the key), so nothing but the keys
 * themselves has to be configured and a file names the key that opens it.
 */
export class KeyRing {
  private readonly byId: Map<string, RecordingKey>;

  constructor(
    readonly current: RecordingKey | null,
    older: readonly RecordingKey[] = [],
  ) {
    this.byId = new Map([...older, ...(current ? [current] : [])].map((k) => [k.id, k]));
  }

  /** From config: base64 strings (validated there as 32 bytes each). */
  static fromBase64(current: string | undefined, older: readonly string[] = []): KeyRing {
    const make = (b64: string): RecordingKey => {
      const key = Buffer.from(b64, 'base64');
      return { id: keyId(key), key };
    };
    return new KeyRing(current ? make(current) : null, older.map(make));
  }

  get(id: string): RecordingKey | undefined {
    return this.byId.get(id);
  }
}

/** 8 bytes of SHA-256 over a label and the key, as 16 hex digits. */
export function keyId(key: Buffer): string {
  return createHash('sha256').update('veildesk recordings key id\0').update(key).digest().subarray(0, 8).toString('hex');
}
