import { describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT_N, loadConfig } from '../../../server/config';
import { PasswordHasher, parseHash } from '../../../server/modules/auth/passwords';

describe('password hashing', () => {
  it('production hashes at scrypt N=2^17, r=8, p=1 by default', async () => {
    const config = loadConfig({ VEILDESK_DATA_DIR: '/tmp/unused' }, []);
    expect(config.passwordScryptN).toBe(2 ** 17);
    expect(DEFAULT_SCRYPT_N).toBe(131072);
    const hasher = new PasswordHasher({ N: config.passwordScryptN });
    const hash = await hasher.hash('correct horse');
    expect(hash.startsWith('scrypt$131072$8$1$')).toBe(true);
    expect(await hasher.verify('correct horse', hash)).toBe(true);
    expect(await hasher.verify('wrong horse', hash)).toBe(false);
    expect(hasher.needsRehash(hash)).toBe(false);
  }, 30_000);

  it('a cost that is not a power of two, or too low, is refused at start', () => {
    expect(() => loadConfig({ VEILDESK_PASSWORD_SCRYPT_N: '100000' }, [])).toThrow(/passwordScryptN: must be a power of two/);
    expect(() => loadConfig({ VEILDESK_PASSWORD_SCRYPT_N: '512' }, [])).toThrow(/passwordScryptN/);
  });

  it('hashes with older parameters verify, and are marked for rehash', async () => {
    const old = await new PasswordHasher({ N: 1 << 12 }).hash('pw');
    const hasher = new PasswordHasher({ N: 1 << 13 });
    expect(await hasher.verify('pw', old)).toBe(true);
    expect(hasher.needsRehash(old)).toBe(true);
    expect(parseHash(old)).toMatchObject({ N: 4096, r: 8, p: 1 });
    expect(await hasher.verify('pw', 'plain-text')).toBe(false);
    expect(parseHash('scrypt$4194304$8$1$c2FsdA$aGFzaA')).toBeNull();
  });

  it('only `concurrency` hashes run at once; past the queue a hash is refused as unavailable with a retry time', async () => {
    const hasher = new PasswordHasher({ N: 1 << 12, concurrency: 1, queue: 1 });
    const first = hasher.hash('a');
    const second = hasher.hash('b');
    expect(hasher.load).toBe(2);
    await expect(hasher.hash('c')).rejects.toMatchObject({ code: 'unavailable', details: { retryAfterSeconds: 2 } });
    await Promise.all([first, second]);
    expect(hasher.load).toBe(0);
  });
});
