import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../server/config';

const base = { VEILDESK_DATA_DIR: '/tmp/veildesk-config-test' };
const cluster = { ...base, VEILDESK_REDIS_URL: 'redis://127.0.0.1:6379', VEILDESK_DATABASE_URL: 'postgres://u:p@127.0.0.1/db', VEILDESK_AUDIT_KEY: 'k'.repeat(32) };

describe('several-nodes configuration', () => {
  it('without VEILDESK_REDIS_URL a node is alone, with a node id of its own', () => {
    const a = loadConfig(base, []);
    expect(a.redisUrl).toBeUndefined();
    expect(a.nodeId).toMatch(/^[A-Za-z0-9_.-]+$/);
    expect(loadConfig(base, []).nodeId).not.toBe(a.nodeId);
    expect(a).toMatchObject({ redisPrefix: 'veildesk:', leaseTtlMs: 3000, leaseRenewMs: 1000 });
  });

  it('takes the Redis URL, node id, node URL and prefix as given', () => {
    const c = loadConfig({ ...cluster, VEILDESK_NODE_ID: 'node-a', VEILDESK_NODE_URL: 'http://10.0.0.5:8080', VEILDESK_REDIS_PREFIX: 'vd:eu:' }, []);
    expect(c).toMatchObject({ redisUrl: 'redis://127.0.0.1:6379', nodeId: 'node-a', nodeUrl: 'http://10.0.0.5:8080', redisPrefix: 'vd:eu:' });
  });

  it('refuses what would split the nodes or lose the lease, saying what to set', () => {
    expect(() => loadConfig({ ...cluster, VEILDESK_REDIS_URL: 'http://redis:6379' }, [])).toThrow(/redis:\/\/ or rediss:\/\//);
    expect(() => loadConfig({ ...cluster, VEILDESK_DATABASE_URL: '' }, [])).toThrow(/needs VEILDESK_DATABASE_URL/);
    expect(() => loadConfig({ ...cluster, VEILDESK_AUDIT_KEY: '' }, [])).toThrow(/needs VEILDESK_AUDIT_KEY/);
    expect(() => loadConfig({ ...cluster, VEILDESK_NODE_ID: 'node a' }, [])).toThrow(/VEILDESK_NODE_ID/);
    expect(() => loadConfig({ ...cluster, VEILDESK_LEASE_TTL_MS: '3000', VEILDESK_LEASE_RENEW_MS: '2000' }, [])).toThrow(/at most half/);
  });
});
