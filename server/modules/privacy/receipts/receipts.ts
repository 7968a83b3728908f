import { createPublicKey, sign, verify } from 'node:crypto';
import { type ReceiptBody, SignedReceipt } from '../../../../shared/api/privacy';
import { canonicalJson } from '../../audit/canonical';
import type { ReceiptKeys } from './receipt-keys';

/** Signs the receipt's canonical JSON (keys sorted at every depth, no whitespace) with Ed25519. */
export function signReceipt(receipt: ReceiptBody, keys: ReceiptKeys): SignedReceipt {
  const signature = sign(null, Buffer.from(canonicalJson(receipt)), keys.privateKey).toString('base64');
  return { receipt, algorithm: 'Ed25519', publicKey: keys.publicKeyPem, signature };
}

export type ReceiptCheck = { valid: true; receipt: ReceiptBody } | { valid: false; reason: string };

/**
 * Checks a signed receipt offline: its shape, that the signature matches its canonical JSON under
 * the key it carries, and, when `expectedKeyPem` is given (the organisation's published key), that
 * it carries that key. Never throws on bad input; says what is wrong instead.
 */
export function verifyReceipt(input: unknown, expectedKeyPem?: string): ReceiptCheck {
  const parsed = SignedReceipt.safeParse(input);
  if (!parsed.success) return { valid: false, reason: `not a signed privacy receipt: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}` };
  const { receipt, publicKey, signature } = parsed.data;
  let key;
  try {
    key = createPublicKey(publicKey);
  } catch {
    return { valid: false, reason: 'the receipt’s publicKey is not a PEM public key' };
  }
  if (key.asymmetricKeyType !== 'ed25519') return { valid: false, reason: 'the receipt’s publicKey is not an Ed25519 key' };
  if (expectedKeyPem !== undefined) {
    let expected;
    try {
      expected = createPublicKey(expectedKeyPem);
    } catch {
      return { valid: false, reason: 'the --key file is not a PEM public key' };
    }
    if (!expected.equals(key)) return { valid: false, reason: 'the receipt was signed with another key than the one given with --key' };
  }
  // Over the receipt as given, not as parsed: a field added after signing must fail too.
  const given = (input as { receipt: unknown }).receipt;
  const ok = verify(null, Buffer.from(canonicalJson(given)), key, Buffer.from(signature, 'base64'));
  return ok ? { valid: true, receipt } : { valid: false, reason: 'the signature does not match the receipt: it was changed after signing, or signed by another key' };
}
