import { runPrivacyCli } from './privacy/verify-receipt';

/** `npm run privacy -- verify-receipt FILE [--key PUBLIC.pem]` (see scripts/privacy/verify-receipt.ts). */
const result = runPrivacyCli(process.argv.slice(2));
process.stdout.write(`${result.out}\n`);
process.exitCode = result.code;
