import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { ReceiptBody } from '../../../shared/api/privacy';
import { loadOrCreateReceiptKeys } from '../../../server/modules/privacy/receipts/receipt-keys';
import { signReceipt, verifyReceipt } from '../../../server/modules/privacy/receipts/receipts';
import { runPrivacyCli } from '../../../scripts/privacy/verify-receipt';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-receipt-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const receipt: ReceiptBody = {
  receiptVersion: 1,
  requestId: 'req-1',
  type: 'erase',
  organisation: 'Veildesk',
  subjectDigests: ['a'.repeat(64)],
  receivedAt: '2026-12-04T10:00:00.000Z',
  completedAt: '2026-12-04T10:00:01.000Z',
  tookMs: 1000,
  stores: [
    { store: 'messages', found: 12, done: 12 },
    { store: 'audit_log', found: 0, done: 0, note: 'kept: ids only' },
  ],
};

describe('privacy receipts', () => {
  it('creates the key pair once, the private key readable by the owner only', () => {
    const dataDir = tempDir();
    const first = loadOrCreateReceiptKeys(dataDir);
    const again = loadOrCreateReceiptKeys(dataDir);
    expect(again.publicKeyPem).toBe(first.publicKeyPem);
    expect(fs.statSync(path.join(dataDir, 'privacy-keys', 'receipt-ed25519.pem')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dataDir, 'privacy-keys')).mode & 0o777).toBe(0o700);
  });

  it('a signed receipt verifies; a changed count, an added field, a swapped key or a wrong --key do not', () => {
    const keys = loadOrCreateReceiptKeys(tempDir());
    const signed = signReceipt(receipt, keys);
    expect(signed.algorithm).toBe('Ed25519');
    expect(verifyReceipt(JSON.parse(JSON.stringify(signed)))).toEqual({ valid: true, receipt });
    expect(verifyReceipt(signed, keys.publicKeyPem).valid).toBe(true);

    const tampered = JSON.parse(JSON.stringify(signed));
    tampered.receipt.stores[0].done = 11;
    expect(verifyReceipt(tampered)).toMatchObject({ valid: false, reason: expect.stringMatching(/does not match/) });
    const added = JSON.parse(JSON.stringify(signed));
    added.receipt.extra = 'claim';
    expect(verifyReceipt(added).valid).toBe(false);

    const other = loadOrCreateReceiptKeys(tempDir());
    expect(verifyReceipt({ ...signed, publicKey: other.publicKeyPem }).valid).toBe(false);
    expect(verifyReceipt(signed, other.publicKeyPem)).toMatchObject({ valid: false, reason: expect.stringMatching(/another key/) });
    expect(verifyReceipt({ receipt })).toMatchObject({ valid: false, reason: expect.stringMatching(/not a signed privacy receipt/) });
  });

  it('the CLI prints valid or invalid and exits 0 or 1 (2 for a usage mistake)', () => {
    const dir = tempDir();
    const keys = loadOrCreateReceiptKeys(dir);
    const good = path.join(dir, 'good.json');
    const bad = path.join(dir, 'bad.json');
    const pub = path.join(dir, 'public.pem');
    const signed = signReceipt(receipt, keys);
    fs.writeFileSync(good, JSON.stringify(signed, null, 2));
    fs.writeFileSync(bad, JSON.stringify({ ...signed, receipt: { ...signed.receipt, tookMs: 5 } }));
    fs.writeFileSync(pub, keys.publicKeyPem);

    const ok = runPrivacyCli(['verify-receipt', good, '--key', pub]);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^valid: erase request req-1 of Veildesk/);
    expect(ok.out).toContain('messages: found 12, done 12');
    expect(runPrivacyCli(['verify-receipt', bad])).toMatchObject({ code: 1, out: expect.stringMatching(/^invalid: /) });
    expect(runPrivacyCli(['verify-receipt', path.join(dir, 'missing.json')])).toMatchObject({ code: 1, out: expect.stringMatching(/^invalid: cannot read/) });
    expect(runPrivacyCli(['verify-receipt'])).toMatchObject({ code: 2, out: expect.stringMatching(/Usage/) });
    expect(runPrivacyCli(['sign'])).toMatchObject({ code: 2 });
  });

  it('npm run privacy -- verify-receipt runs as a command', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'r.json');
    fs.writeFileSync(file, JSON.stringify(signReceipt(receipt, loadOrCreateReceiptKeys(dir))));
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(ROOT, 'scripts/privacy.ts'), 'verify-receipt', file], { cwd: ROOT });
    expect(stdout).toMatch(/^valid: /);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"found":12', '"found":13'));
    await expect(run(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(ROOT, 'scripts/privacy.ts'), 'verify-receipt', file], { cwd: ROOT })).rejects.toMatchObject({ code: 1, stdout: expect.stringMatching(/^invalid: /) });
  }, 30_000);
});
