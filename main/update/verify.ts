import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** sha512 of a file, base64, as electron-builder writes it in latest.yml. */
export function sha512OfFile(filePath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha512');
    createReadStream(filePath)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('base64')));
  });
}

/**
 * Checks a downloaded update against the sha512 the feed announced. electron-updater already
 * checks while downloading; this runs again right before an install is allowed, so a file changed
 * on disk after the download is never installed. Accepts base64 (electron-builder) or hex.
 */
export async function verifyDownloadedUpdate(filePath: string, expectedSha512: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  let actual: string;
  try {
    actual = await sha512OfFile(filePath);
  } catch (error) {
    return { ok: false, reason: `the downloaded update could not be read: ${(error as Error).message}` };
  }
  const expected = /^[0-9a-f]{128}$/i.test(expectedSha512) ? Buffer.from(expectedSha512, 'hex').toString('base64') : expectedSha512;
  return actual === expected ? { ok: true } : { ok: false, reason: 'the downloaded update does not match the sha512 of the feed' };
}
