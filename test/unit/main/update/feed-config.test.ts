import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseFeedUrl } from '../../../../main/update/feed-config';
import { verifyDownloadedUpdate } from '../../../../main/update/verify';

describe('update feed address', () => {
  it('takes VEILDESK_UPDATE_FEED_URL first, then updateFeedUrl from settings.json', () => {
    expect(chooseFeedUrl({ VEILDESK_UPDATE_FEED_URL: 'https://updates.example/veildesk/' }, 'https://other.example/')).toEqual({
      url: 'https://updates.example/veildesk/',
      from: 'env',
    });
    expect(chooseFeedUrl({}, 'https://other.example/')).toEqual({ url: 'https://other.example/', from: 'settings' });
  });

  it('refuses plain http and credentials, and says why; none configured means off', () => {
    expect(chooseFeedUrl({ VEILDESK_UPDATE_FEED_URL: 'http://updates.example/' }, undefined)).toMatchObject({ url: null, reason: expect.stringMatching(/https/) });
    expect(chooseFeedUrl({}, 'https://u:p@updates.example/')).toMatchObject({ url: null, reason: expect.stringMatching(/settings.json.*credentials/) });
    expect(chooseFeedUrl({}, undefined)).toMatchObject({ url: null, reason: expect.stringMatching(/no update feed/) });
  });
});

describe('verifyDownloadedUpdate', () => {
  it('accepts the sha512 in base64 (latest.yml) or hex, refuses anything else', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'veildesk-verify-'));
    try {
      const file = path.join(dir, 'setup.exe');
      await writeFile(file, 'installer bytes');
      const hash = createHash('sha512').update('installer bytes');
      const hex = hash.copy().digest('hex');
      expect(await verifyDownloadedUpdate(file, hash.digest('base64'))).toEqual({ ok: true });
      expect(await verifyDownloadedUpdate(file, hex)).toEqual({ ok: true });
      expect(await verifyDownloadedUpdate(file, createHash('sha512').update('other').digest('base64'))).toMatchObject({ ok: false });
      expect(await verifyDownloadedUpdate(path.join(dir, 'missing.exe'), hex)).toMatchObject({ ok: false, reason: expect.stringMatching(/could not be read/) });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
