import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer } from '../support/server';
import { dropTestDatabase } from '../support/test-database';
import { recordingStore, type RecordingStoreUnderTest } from '../support/recording-stores';

/** Object storage that is half set up, or a bucket the server cannot reach, stops the start with what to fix. */
describe('recordings store at start-up', { timeout: 90_000 }, () => {
  let store: RecordingStoreUnderTest | undefined;
  let dirs: string[] = [];
  afterEach(async () => {
    await store?.stop();
    store = undefined;
    for (const dir of dirs) {
      await dropTestDatabase(dir);
      fs.rmSync(dir, { recursive: true, force: true });
    }
    dirs = [];
  });

  const dataDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-s3-start-'));
    dirs.push(dir);
    return dir;
  };

  it('a half-done setup (a bucket without its region) stops the server, naming the variable; the secret is never printed', async () => {
    const failed = await startTestServer({ dataDir: dataDir(), env: { VEILDESK_S3_BUCKET: 'veildesk-recordings', VEILDESK_S3_ACCESS_KEY_ID: 'AKIAEXAMPLE', VEILDESK_S3_SECRET_ACCESS_KEY: 'not-to-be-printed' } }).catch((e: unknown) => e as Error);
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message).toMatch(/server exited with 1 before starting/);
    expect((failed as Error).message).toMatch(/VEILDESK_S3_REGION is needed with VEILDESK_S3_BUCKET/);
    expect((failed as Error).message).not.toContain('not-to-be-printed');
  });

  it('a bucket that does not exist stops the start with the reason and the variables to check', async () => {
    store = await recordingStore('s3');
    const failed = await startTestServer({ dataDir: dataDir(), env: { ...store.env, VEILDESK_S3_BUCKET: 'no-such-bucket' } }).catch((e: unknown) => e as Error);
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message).toMatch(/the bucket no-such-bucket cannot be reached \(NotFound, HTTP 404\)\. Check VEILDESK_S3_ENDPOINT/);
    expect((failed as Error).message).not.toContain(store.env.VEILDESK_S3_SECRET_ACCESS_KEY!);
  });

  it('with the bucket there, the server starts and says where recordings go', async () => {
    store = await recordingStore('s3');
    const server = await startTestServer({ dataDir: dataDir(), env: store.env });
    try {
      expect(server.output()).toContain(`recordings: s3 bucket veildesk-recordings at ${store.env.VEILDESK_S3_ENDPOINT}`);
    } finally {
      await server.stop();
    }
  });
});
