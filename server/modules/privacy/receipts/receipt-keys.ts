import { generateKeyPairSync, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ensurePrivateDirSync, makePrivateSync, PRIVATE_FILE_MODE } from '../../../kernel/private-files';

export interface ReceiptKeys {
  privateKey: KeyObject;
  /** SPKI PEM: what a receipt carries and what an offline check may pin with --key. */
  publicKeyPem: string;
}

/**
 * The server's Ed25519 key for privacy receipts, created on first use under
 * `<dataDir>/privacy-keys/` (folder 0700, both files 0600 like every file the server writes; the public key is handed out
 * in each receipt). Back it
 * up with the data dir: receipts signed with a lost key still verify against the key they carry,
 * but cannot be tied to this server any more.
 */
export function loadOrCreateReceiptKeys(dataDir: string): ReceiptKeys {
  const dir = path.join(dataDir, 'privacy-keys');
  const privateFile = path.join(dir, 'receipt-ed25519.pem');
  const publicFile = path.join(dir, 'receipt-ed25519.pub.pem');
  ensurePrivateDirSync(dir);
  if (!fs.existsSync(privateFile)) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const tmp = `${privateFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: PRIVATE_FILE_MODE });
    fs.writeFileSync(publicFile, publicKey.export({ type: 'spki', format: 'pem' }), { mode: PRIVATE_FILE_MODE });
    // Renamed into place last: a crash never leaves a private key without its public half.
    fs.renameSync(tmp, privateFile);
  }
  // Keys written by a server from before the 0600 rule are made private too.
  for (const f of [privateFile, publicFile]) makePrivateSync(f);
  const privateKey = createPrivateKey(fs.readFileSync(privateFile));
  return { privateKey, publicKeyPem: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString() };
}
