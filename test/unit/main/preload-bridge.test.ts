import { describe, expect, it, vi } from 'vitest';
import { createElectronBridge, type Invoke, unwrapIpcResult } from '../../../preload/bridge';

describe('unwrapIpcResult', () => {
  it('returns the value of an ok result', () => {
    expect(unwrapIpcResult('settings:get-server-url', { ok: true, value: 'http://x' })).toBe('http://x');
  });

  it("throws main's message on an error result", () => {
    expect(() =>
      unwrapIpcResult('settings:set-server-url', { ok: false, error: { code: 'invalid_request', message: 'url: bad' } }),
    ).toThrow('url: bad');
  });

  it('throws on a reply that is not a result', () => {
    expect(() => unwrapIpcResult('app:info', undefined)).toThrow(/unexpected reply/);
  });
});

describe('electron bridge', () => {
  it('maps each method to its contract channel', async () => {
    const invoke = vi.fn<Invoke>(async (channel) => {
      if (channel === 'app:info') return { ok: true, value: { version: '1', platform: 'linux', kind: 'electron' } };
      if (channel === 'settings:get-server-url') return { ok: true, value: 'http://localhost:4280' };
      return { ok: true, value: undefined };
    });
    const bridge = createElectronBridge(invoke, undefined, { hasUserActivation: () => true });
    expect(bridge.kind).toBe('electron');
    expect(await bridge.getAppInfo()).toEqual({ version: '1', platform: 'linux', kind: 'electron' });
    expect(await bridge.getServerUrl()).toBe('http://localhost:4280');
    await bridge.setServerUrl('https://calls.example');
    await bridge.openExternal('https://example.com');
    expect(invoke.mock.calls).toEqual([
      ['app:info'],
      ['settings:get-server-url'],
      ['settings:set-server-url', 'https://calls.example'],
      ['shell:open-external', 'https://example.com'],
    ]);
  });

  it('opens a link only while the page holds a user activation (a click), never from a script alone', async () => {
    let active = false;
    const invoke = vi.fn<Invoke>(async () => ({ ok: true, value: undefined }));
    const bridge = createElectronBridge(invoke, undefined, { hasUserActivation: () => active });
    await expect(bridge.openExternal('https://example.com')).rejects.toThrow(/click/);
    expect(invoke).not.toHaveBeenCalled();
    active = true;
    await bridge.openExternal('https://example.com');
    expect(invoke.mock.calls).toEqual([['shell:open-external', 'https://example.com']]);
    // Without the option (no way to tell), it refuses.
    await expect(createElectronBridge(invoke).openExternal('https://example.com')).rejects.toThrow(/click/);
  });

  it('rejects with the error message from main', async () => {
    const bridge = createElectronBridge(async () => ({ ok: false, error: { code: 'invalid_request', message: 'url: only http' } }));
    await expect(bridge.setServerUrl('file:///x')).rejects.toThrow('url: only http');
  });

  it('exposes nothing but the bridge methods', () => {
    const bridge = createElectronBridge(async () => ({ ok: true, value: undefined }));
    expect(Object.keys(bridge).sort()).toEqual([
      'bindLocalDataUser',
      'forgetLocalDataKey',
      'getAppInfo',
      'getCaptureProtection',
      'getLocalDataKey',
      'getServerUrl',
      'getUpdateStatus',
      'installUpdateNow',
      'kind',
      'listCaptureSources',
      'notifyOffer',
      'openExternal',
      'releaseLocalDataUser',
      'selectCaptureSource',
      'setBadgeCount',
      'setInteractionLive',
      'setServerUrl',
    ]);
  });
});

describe('electron bridge: offer alerts', () => {
  it('sends notifications and the badge over their contract channels', async () => {
    const invoke = vi.fn<Invoke>(async () => ({ ok: true, value: undefined }));
    const bridge = createElectronBridge(invoke, () => () => undefined);
    await bridge.notifyOffer?.({ interactionId: 'i-1', title: 'Incoming call', body: 'General queue' });
    await bridge.setBadgeCount?.(2);
    expect(invoke.mock.calls).toEqual([
      ['notify:offer', { interactionId: 'i-1', title: 'Incoming call', body: 'General queue' }],
      ['app:set-badge-count', 2],
    ]);
  });

  it('hands the page only a plain interaction id from a notification click', () => {
    const listeners = new Map<string, (...args: unknown[]) => void>();
    const bridge = createElectronBridge(vi.fn<Invoke>(), (event, listener) => {
      listeners.set(event, listener);
      return () => listeners.delete(event);
    });
    const clicked: string[] = [];
    const unsubscribe = bridge.onOfferNotificationClick?.((id) => clicked.push(id));
    const emit = listeners.get('offer:notification-click')!;
    emit('5f0c2a4e-1b2c-4d3e-8f9a-0b1c2d3e4f5a');
    emit({ toString: () => 'x' });
    emit('../../etc');
    emit('a'.repeat(101));
    expect(clicked).toEqual(['5f0c2a4e-1b2c-4d3e-8f9a-0b1c2d3e4f5a']);
    unsubscribe?.();
    expect(listeners.size).toBe(0);
  });
});
