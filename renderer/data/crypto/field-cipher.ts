/**
 * AES-256-GCM for the sensitive fields of the local cache (message text, contact details, notes,
 * outbox payloads) and for recorded audio waiting for upload. Each value gets a fresh 96-bit IV;
 * the stored bytes are [format][IV 12][ciphertext + tag], format 1 for a JSON value, 2 for raw bytes. The additional data names where the value lives
 * (e.g. `message:<id>`), so a ciphertext copied onto another row fails to open instead of showing
 * the wrong customer's words.
 */

const FORMAT = 1;
const FORMAT_BYTES = 2;
const IV_BYTES = 12;

export interface FieldCipher {
  seal(value: unknown, context: string): Promise<Uint8Array>;
  /** Seals each value like `seal`, with one call for all the random IVs (a call costs ~11 µs in Chromium, as much as the encryption). */
  sealMany(items: readonly { value: unknown; context: string }[]): Promise<Uint8Array[]>;
  open<T = unknown>(sealed: Uint8Array, context: string): Promise<T>;
  /** Raw bytes (recorded audio), without a JSON round trip. */
  sealBytes(bytes: ArrayBuffer | Uint8Array<ArrayBuffer>, context: string): Promise<Uint8Array<ArrayBuffer>>;
  openBytes(sealed: Uint8Array, context: string): Promise<Uint8Array<ArrayBuffer>>;
}

export class LocalDataUnreadableError extends Error {
  override readonly name = 'LocalDataUnreadableError';
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** getRandomValues fills at most 65,536 bytes per call. */
const IVS_PER_CALL = Math.floor(65_536 / IV_BYTES);

export function createFieldCipher(key: CryptoKey, crypto: Crypto = globalThis.crypto): FieldCipher {
  async function encryptWithIv(plain: Uint8Array<ArrayBuffer> | ArrayBuffer, context: string, iv: Uint8Array<ArrayBuffer>, format: number): Promise<Uint8Array<ArrayBuffer>> {
    const cipher = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(context) }, key, plain));
    const out = new Uint8Array(1 + IV_BYTES + cipher.length);
    out[0] = format;
    out.set(iv, 1);
    out.set(cipher, 1 + IV_BYTES);
    return out;
  }
  const sealWithIv = (value: unknown, context: string, iv: Uint8Array<ArrayBuffer>) => encryptWithIv(encoder.encode(JSON.stringify(value)), context, iv, FORMAT);
  async function decrypt(sealed: Uint8Array, context: string, format: number): Promise<ArrayBuffer> {
    if (!(sealed instanceof Uint8Array) || sealed.length < 1 + IV_BYTES + 16 || sealed[0] !== format) {
      throw new LocalDataUnreadableError(`local value for ${context} is not in a known format`);
    }
    try {
      return await crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.slice(1, 1 + IV_BYTES), additionalData: encoder.encode(context) }, key, sealed.slice(1 + IV_BYTES));
    } catch {
      throw new LocalDataUnreadableError(`local value for ${context} cannot be decrypted with this key`);
    }
  }
  return {
    seal(value, context) {
      return sealWithIv(value, context, crypto.getRandomValues(new Uint8Array(IV_BYTES)));
    },
    sealMany(items) {
      const sealed: Promise<Uint8Array>[] = [];
      for (let start = 0; start < items.length; start += IVS_PER_CALL) {
        const count = Math.min(IVS_PER_CALL, items.length - start);
        // Independent random IVs, drawn in one call; each value still gets its own.
        const ivs = crypto.getRandomValues(new Uint8Array(count * IV_BYTES));
        for (let i = 0; i < count; i++) {
          const item = items[start + i]!;
          sealed.push(sealWithIv(item.value, item.context, ivs.subarray(i * IV_BYTES, (i + 1) * IV_BYTES)));
        }
      }
      return Promise.all(sealed);
    },
    async open<T>(sealed: Uint8Array, context: string): Promise<T> {
      return JSON.parse(decoder.decode(await decrypt(sealed, context, FORMAT))) as T;
    },
    sealBytes(bytes, context) {
      return encryptWithIv(bytes, context, crypto.getRandomValues(new Uint8Array(IV_BYTES)), FORMAT_BYTES);
    },
    async openBytes(sealed, context) {
      return new Uint8Array(await decrypt(sealed, context, FORMAT_BYTES));
    },
  };
}

/** Imports 32 raw key bytes (base64) as a key that can encrypt and decrypt but never be exported. */
export async function importRawKey(base64: string, crypto: Crypto = globalThis.crypto): Promise<CryptoKey> {
  const raw = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  try {
    return await crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
  } finally {
    raw.fill(0);
  }
}

/** A new AES-256-GCM key that scripts can use but never read out. */
export function generateLocalKey(crypto: Crypto = globalThis.crypto): Promise<CryptoKey> {
  return crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}
