import { describe, expect, it, vi } from 'vitest';
import { formatDuration } from '../../../renderer/app/format';
import { createWebBridge } from '../../../renderer/bridge/web-bridge';
import { createSessionStore } from '../../../renderer/features/auth/session-store';
import { normalizeServerUrl, wsUrl } from '../../../renderer/net/urls';
import { memoryStorage } from './store-harness';

describe('urls', () => {
  it('derives the socket URL from the server URL', () => {
    expect(wsUrl('http://localhost:4280')).toBe('ws://localhost:4280/ws');
    expect(wsUrl('https://veildesk.example.com/')).toBe('wss://veildesk.example.com/ws');
    expect(wsUrl('https://example.com/veildesk')).toBe('wss://example.com/veildesk/ws');
  });

  it('normalises typed server addresses and rejects unusable ones', () => {
    expect(normalizeServerUrl(' http://localhost:4280/ ')).toEqual({ ok: true, url: 'http://localhost:4280' });
    expect(normalizeServerUrl('https://x.test/base/?q=1')).toEqual({ ok: true, url: 'https://x.test/base' });
    expect(normalizeServerUrl('localhost:4280').ok).toBe(false);
    expect(normalizeServerUrl('javascript:alert(1)').ok).toBe(false);
    expect(normalizeServerUrl('http://user:pw@x.test').ok).toBe(false);
    expect(normalizeServerUrl('').ok).toBe(false);
  });
});

describe('web bridge', () => {
  it('uses the page origin when served over http(s), else the stored choice', async () => {
    const storage = memoryStorage();
    const bridge = createWebBridge({ location: { protocol: 'https:', origin: 'https://desk.test' }, storage });
    expect(bridge.kind).toBe('web');
    expect(await bridge.getServerUrl()).toBe('https://desk.test');
    await bridge.setServerUrl('http://other.test:4280');
    expect(await bridge.getServerUrl()).toBe('http://other.test:4280');
    await expect(bridge.setServerUrl('file:///etc/passwd')).rejects.toThrow();
  });

  it('falls back to the default port off http(s)', async () => {
    const bridge = createWebBridge({ location: { protocol: 'file:', origin: 'null' }, storage: null });
    expect(await bridge.getServerUrl()).toBe('http://localhost:4280');
  });

  it('opens only http(s) links, without an opener', async () => {
    const open = vi.fn();
    const bridge = createWebBridge({ location: { protocol: 'https:', origin: 'https://desk.test' }, storage: null, open });
    await bridge.openExternal('https://help.test/page');
    expect(open).toHaveBeenCalledWith('https://help.test/page', '_blank', 'noopener,noreferrer');
    await expect(bridge.openExternal('javascript:alert(1)')).rejects.toThrow();
    expect(open).toHaveBeenCalledTimes(1);
  });
});

describe('session store', () => {
  it('round-trips and ignores corrupt values', () => {
    const storage = memoryStorage();
    const sessions = createSessionStore(storage);
    expect(sessions.load()).toBeNull();
    sessions.save({ token: 't', serverUrl: 'http://x.test' });
    expect(sessions.load()).toEqual({ token: 't', serverUrl: 'http://x.test' });
    storage.setItem('veildesk.session', '{not json');
    expect(sessions.load()).toBeNull();
    sessions.clear();
    expect(storage.map.size).toBe(0);
  });
});

describe('formatDuration', () => {
  it('is compact and never negative', () => {
    expect(formatDuration(-5000)).toBe('0s');
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDuration(185_000)).toBe('3m 05s');
    expect(formatDuration(3_720_000)).toBe('1h 02m');
    expect(formatDuration(2 * 86_400_000 + 3 * 3_600_000)).toBe('2d 3h');
  });
});
