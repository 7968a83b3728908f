/**
 * AES-256-GCM for the sensitive fields of the local cache (message text, contact details, notes,
 * outbox payloads). Each value gets a fresh 96-bit IV; the stored bytes are
 * [format 1][IV 12][ciphertext + tag]. The additional data names where the value lives
 * (e.g. `message:<id>`), so a ciphertext copied onto another row fails to open instead of showing
 * the wrong customer's words.
 */

const FORMAT = 1;
const IV_BYTES = 12;

export interface FieldCipher {
  seal(value: unknown, context: string): Promise<Uint8Array>;
  open<T = unknown>(sealed: Uint8Array, context: string): Promise<T>;
}

export class LocalDataUnreadableError extends Error {
  override readonly name = 'LocalDataUnreadableError';
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function createFieldCipher(key: CryptoKey, crypto: Crypto = globalThis.crypto): FieldCipher {
  return {
    async seal(value, context) {
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const plain = encoder.encode(JSON.stringify(value));
      const cipher = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(context) }, key, plain));
      const out = new Uint8Array(1 + IV_BYTES + cipher.length);
      out[0] = FORMAT;
      out.set(iv, 1);
      out.set(cipher, 1 + IV_BYTES);
      return out;
    },
    async open<T>(sealed: Uint8Array, context: string): Promise<T> {
      if (!(sealed instanceof Uint8Array) || sealed.length < 1 + IV_BYTES + 16 || sealed[0] !== FORMAT) {
        throw new LocalDataUnreadableError(`local value for ${context} is not in a known format`);
      }
      let plain: ArrayBuffer;
      try {
        plain = await crypto.subtle.decrypt(
          { name: 'AES-GCM', iv: sealed.slice(1, 1 + IV_BYTES), additionalData: encoder.encode(context) },
          key,
          sealed.slice(1 + IV_BYTES),
        );
      } catch {
        throw new LocalDataUnreadableError(`local value for ${context} cannot be decrypted with this key`);
      }
      return JSON.parse(decoder.decode(plain)) as T;
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
