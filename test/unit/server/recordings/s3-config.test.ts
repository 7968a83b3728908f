import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../server/config';

const base = { VEILDESK_DATA_DIR: '/tmp/veildesk-config-test', VEILDESK_MEDIA_WORKERS: '0' };
const full = {
  VEILDESK_S3_ENDPOINT: 'https://minio.example.com:9000',
  VEILDESK_S3_BUCKET: 'veildesk-recordings',
  VEILDESK_S3_REGION: 'us-east-1',
  VEILDESK_S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
  VEILDESK_S3_SECRET_ACCESS_KEY: 'secret-example',
  VEILDESK_S3_FORCE_PATH_STYLE: 'true',
};

describe('object storage settings (VEILDESK_S3_*)', () => {
  it('are off without a bucket: recordings stay on disk', () => {
    expect(loadConfig(base, []).s3).toBeNull();
  });

  it('read endpoint, bucket, region, credentials and path style', () => {
    expect(loadConfig({ ...base, ...full }, []).s3).toEqual({ endpoint: 'https://minio.example.com:9000', bucket: 'veildesk-recordings', region: 'us-east-1', accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret-example', forcePathStyle: true });
    // AWS itself: no endpoint, credentials from the SDK's own chain.
    expect(loadConfig({ ...base, VEILDESK_S3_BUCKET: 'rec-eu', VEILDESK_S3_REGION: 'eu-west-1' }, []).s3).toEqual({ bucket: 'rec-eu', region: 'eu-west-1', forcePathStyle: false });
  });

  it('a half-done setup stops the start saying what to set', () => {
    const { VEILDESK_S3_BUCKET: _bucket, ...noBucket } = full;
    expect(() => loadConfig({ ...base, ...noBucket }, [])).toThrow(/VEILDESK_S3_ENDPOINT, VEILDESK_S3_REGION, VEILDESK_S3_ACCESS_KEY_ID, VEILDESK_S3_SECRET_ACCESS_KEY, VEILDESK_S3_FORCE_PATH_STYLE set without VEILDESK_S3_BUCKET/);
    const { VEILDESK_S3_REGION: _region, ...noRegion } = full;
    expect(() => loadConfig({ ...base, ...noRegion }, [])).toThrow(/VEILDESK_S3_REGION is needed with VEILDESK_S3_BUCKET/);
    const { VEILDESK_S3_SECRET_ACCESS_KEY: _secret, ...noSecret } = full;
    expect(() => loadConfig({ ...base, ...noSecret }, [])).toThrow(/set both VEILDESK_S3_ACCESS_KEY_ID and VEILDESK_S3_SECRET_ACCESS_KEY, or neither/);
    expect(() => loadConfig({ ...base, ...full, VEILDESK_S3_ENDPOINT: 'http://minio.internal:9000' }, [])).toThrow(/VEILDESK_S3_ENDPOINT must be https/);
    expect(() => loadConfig({ ...base, ...full, VEILDESK_S3_ENDPOINT: 'https://key:secret@minio.example.com' }, [])).toThrow(/must not hold credentials/);
    expect(() => loadConfig({ ...base, ...full, VEILDESK_S3_BUCKET: 'Has_Capitals' }, [])).toThrow(/not a bucket name/);
    expect(() => loadConfig({ ...base, ...full, VEILDESK_S3_FORCE_PATH_STYLE: 'yes' }, [])).toThrow(/VEILDESK_S3_FORCE_PATH_STYLE is "yes": use true or false/);
    // The secret is never part of a message.
    try {
      loadConfig({ ...base, ...full, VEILDESK_S3_ENDPOINT: 'ftp://x' }, []);
    } catch (err) {
      expect((err as Error).message).not.toContain('secret-example');
    }
  });

  it('plain http only on this machine (a local test server)', () => {
    expect(loadConfig({ ...base, ...full, VEILDESK_S3_ENDPOINT: 'http://127.0.0.1:4568' }, []).s3?.endpoint).toBe('http://127.0.0.1:4568');
  });
});
