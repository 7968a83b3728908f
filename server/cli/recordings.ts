import { loadConfig } from '../config';
import { createRecordingStorage } from '../modules/recordings/storage/create-storage';

/**
 * `npm run recordings -- reseal`: after a key rotation (docs/operations.md, "Recordings at rest"),
 * seals every recording file with the current VEILDESK_RECORDINGS_KEY, so the keys in
 * VEILDESK_RECORDINGS_OLD_KEYS can be dropped: the files on disk, or the objects of the bucket when
 * VEILDESK_S3_* names one. Run it while the server is stopped.
 */
async function main(): Promise<void> {
  const command = process.argv[2];
  if (command !== 'reseal') throw new Error('Usage: npm run recordings -- reseal (with the server stopped; see docs/operations.md, "Recordings at rest").');
  const config = loadConfig();
  const storage = createRecordingStorage(config, null);
  await storage.check?.();
  const report = await storage.resealAll().finally(() => storage.close?.());
  process.stdout.write(`Resealed ${report.resealed} file(s); ${report.current} already had the current key.\n`);
  for (const f of report.failed) process.stderr.write(`  not resealed: ${f.file}: ${f.reason}\n`);
  if (report.failed.length > 0) {
    process.stderr.write('Keep the older keys until these files are restored from a backup or erased.\n');
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
