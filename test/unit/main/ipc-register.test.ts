import { describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS } from '../../../shared/bridge/ipc';
import { APP_ORIGIN } from '../../../main/app-origin';
import {
  type InvokeEvent,
  IPC_ERROR,
  IpcError,
  type IpcHandlers,
  registerIpcHandlers,
  type SenderPolicy,
  wrapIpcHandler,
} from '../../../main/ipc/register';
import { silentLogger } from '../../../main/log';

const ourContents = { id: 1 };
const policy: SenderPolicy = { appOrigin: APP_ORIGIN, isOurWebContents: (s) => s === ourContents, log: silentLogger };

function event(overrides: Partial<{ url: string; parent: unknown; sender: unknown; noFrame: boolean }> = {}): InvokeEvent {
  return {
    sender: 'sender' in overrides ? overrides.sender : ourContents,
    senderFrame: overrides.noFrame ? null : { url: overrides.url ?? 'app://veildesk/index.html', parent: overrides.parent ?? null },
  };
}

describe('wrapIpcHandler', () => {
  it('serves a good payload, naming the calling webContents after the arguments', async () => {
    const set = vi.fn(async (_url: string) => {});
    const call = wrapIpcHandler('settings:set-server-url', set, policy);
    expect(await call(event(), 'https://veildesk.example')).toEqual({ ok: true, value: undefined });
    expect(set).toHaveBeenCalledWith('https://veildesk.example', { sender: ourContents });
  });

  it('returns the validated value', async () => {
    const call = wrapIpcHandler('app:info', () => ({ version: '1.2.3', platform: 'linux', kind: 'electron' }), policy);
    expect(await call(event())).toEqual({ ok: true, value: { version: '1.2.3', platform: 'linux', kind: 'electron' } });
  });

  it('refuses a sender from another origin', async () => {
    const handler = vi.fn(() => 'x');
    const call = wrapIpcHandler('settings:get-server-url', handler, policy);
    for (const url of ['https://evil.example/', 'file:///tmp/x.html', 'app://other/index.html', 'about:blank', '']) {
      const result = await call(event({ url }));
      expect(result, url).toMatchObject({ ok: false, error: { code: IPC_ERROR.forbidden } });
    }
    expect(handler).not.toHaveBeenCalled();
  });

  it('refuses a subframe, a missing frame and a foreign webContents', async () => {
    const handler = vi.fn(() => 'x');
    const call = wrapIpcHandler('settings:get-server-url', handler, policy);
    expect(await call(event({ parent: { url: 'app://veildesk/index.html' } }))).toMatchObject({
      ok: false,
      error: { code: IPC_ERROR.forbidden, message: expect.stringContaining('main frame') },
    });
    expect(await call(event({ noFrame: true }))).toMatchObject({ ok: false, error: { code: IPC_ERROR.forbidden } });
    expect(await call(event({ sender: { id: 2 } }))).toMatchObject({ ok: false, error: { code: IPC_ERROR.forbidden } });
    expect(handler).not.toHaveBeenCalled();
  });

  it('refuses a wrong payload type, naming the field', async () => {
    const handler = vi.fn(async () => {});
    const call = wrapIpcHandler('settings:set-server-url', handler, policy);
    const result = await call(event(), 42);
    expect(result).toMatchObject({ ok: false, error: { code: IPC_ERROR.invalidRequest } });
    if (result.ok) throw new Error('expected a refusal');
    expect(result.error.message).toMatch(/^settings:set-server-url: url: .*expected string/);
    expect(handler).not.toHaveBeenCalled();
  });

  it('refuses a bad URL and a wrong argument count', async () => {
    const call = wrapIpcHandler('shell:open-external', async () => {}, policy);
    const bad = await call(event(), 'file:///etc/passwd');
    expect(bad).toMatchObject({ ok: false, error: { code: IPC_ERROR.invalidRequest, message: expect.stringContaining('url: only http') } });
    expect(await call(event())).toMatchObject({ ok: false, error: { code: IPC_ERROR.invalidRequest, message: expect.stringContaining('arguments') } });
    const info = wrapIpcHandler('app:info', () => ({ version: '1', platform: 'x', kind: 'electron' }), policy);
    expect(await info(event(), 'extra')).toMatchObject({ ok: false, error: { code: IPC_ERROR.invalidRequest } });
  });

  it('turns a handler exception into an error result', async () => {
    const call = wrapIpcHandler('settings:get-server-url', () => { throw new Error('disk on fire'); }, policy);
    expect(await call(event())).toEqual({
      ok: false,
      error: { code: IPC_ERROR.failed, message: 'settings:get-server-url failed: disk on fire' },
    });
    const rejecting = wrapIpcHandler('settings:get-server-url', () => Promise.reject(new IpcError('custom', 'nope')), policy);
    expect(await rejecting(event())).toEqual({ ok: false, error: { code: 'custom', message: 'nope' } });
  });

  it('refuses a response outside the contract', async () => {
    const call = wrapIpcHandler('settings:get-server-url', (() => 42) as unknown as () => string, policy);
    expect(await call(event())).toMatchObject({ ok: false, error: { code: IPC_ERROR.invalidResponse } });
  });

  it('survives a sender check that throws', async () => {
    const throwing: SenderPolicy = { ...policy, isOurWebContents: () => { throw new Error('destroyed'); } };
    const call = wrapIpcHandler('settings:get-server-url', () => 'x', throwing);
    expect(await call(event())).toMatchObject({ ok: false, error: { code: IPC_ERROR.forbidden } });
  });
});

describe('registerIpcHandlers', () => {
  it('registers every contract channel through the wrapper', async () => {
    const registered = new Map<string, (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>>();
    const handlers: IpcHandlers = {
      'app:info': () => ({ version: '1', platform: 'linux', kind: 'electron' }),
      'settings:get-server-url': () => 'http://localhost:4280',
      'settings:set-server-url': async () => {},
      'shell:open-external': async () => {},
      'update:interaction-live': () => {},
      'update:status': () => ({ state: 'disabled', version: null, interactionLive: false, canInstallNow: false, message: 'off' }),
      'update:install-now': async () => ({ installing: false, reason: 'off' }),
      'capture:list-sources': async () => [],
      'capture:select-source': () => {},
      'capture:protection': () => ({ ownWindowsHidden: true }),
      'local-data:bind-user': async () => {},
      'local-data:release-user': () => {},
      'local-data:key': async () => ({ status: 'ready', key: `${'A'.repeat(43)}=`, protection: 'os', warning: null }),
      'local-data:forget-key': async () => {},
      'notify:offer': () => {},
      'app:set-badge-count': () => {},
    };
    registerIpcHandlers({ handle: (channel, listener) => registered.set(channel, listener) }, handlers, policy);
    expect([...registered.keys()].sort()).toEqual([...IPC_CHANNELS].sort());
    const get = registered.get('settings:get-server-url');
    expect(await get?.(event())).toEqual({ ok: true, value: 'http://localhost:4280' });
    expect(await get?.(event({ url: 'https://evil.example' }))).toMatchObject({ ok: false });
  });
});
