import fs from 'node:fs';
import { verifyReceipt } from '../../server/modules/privacy/receipts/receipts';

export interface CliResult {
  code: 0 | 1 | 2;
  out: string;
}

const USAGE = 'Usage: npm run privacy -- verify-receipt FILE [--key PUBLIC.pem]\n  FILE: a receipt saved from GET /api/privacy/requests/:id/receipt\n  --key: the organisation’s published public key; without it the key inside the receipt is used';

/**
 * `verify-receipt FILE [--key PUBLIC.pem]`: prints `valid` (with what the receipt states) or
 * `invalid: why`; exit 0 when valid, 1 when not, 2 for a usage mistake. Works offline.
 */
export function runPrivacyCli(argv: readonly string[]): CliResult {
  const [command, ...rest] = argv;
  if (command !== 'verify-receipt') return { code: 2, out: `${command ? `Unknown command ${command}.\n` : ''}${USAGE}` };
  let file: string | undefined;
  let keyFile: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '--key') keyFile = rest[++i];
    else if (!file) file = arg;
    else return { code: 2, out: `Unexpected argument ${arg}.\n${USAGE}` };
  }
  if (!file || (rest.includes('--key') && !keyFile)) return { code: 2, out: USAGE };
  let input: unknown;
  try {
    input = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    return { code: 1, out: `invalid: cannot read ${file} as JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  let key: string | undefined;
  if (keyFile) {
    try {
      key = fs.readFileSync(keyFile, 'utf8');
    } catch (err) {
      return { code: 2, out: `Cannot read the key file ${keyFile}: ${err instanceof Error ? err.message : String(err)}` };
    }
  }
  const check = verifyReceipt(input, key);
  if (!check.valid) return { code: 1, out: `invalid: ${check.reason}` };
  const r = check.receipt;
  const stores = r.stores.map((s) => `  ${s.store}: found ${s.found}, done ${s.done}${s.note ? ` (${s.note})` : ''}`).join('\n');
  return { code: 0, out: `valid: ${r.type} request ${r.requestId} of ${r.organisation}, received ${r.receivedAt}, completed ${r.completedAt} (${r.tookMs} ms)\n${stores}` };
}
