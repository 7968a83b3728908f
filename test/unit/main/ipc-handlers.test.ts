import { describe, expect, it, vi } from 'vitest';
import { createIpcHandlers } from '../../../main/ipc/handlers';

function setup() {
  let stored = 'http://localhost:4280';
  const deps = {
    getVersion: () => '0.1.0',
    platform: 'linux',
    settings: {
      getServerUrl: vi.fn(async () => stored),
      setServerUrl: vi.fn(async (url: string) => { stored = url; }),
    },
    openExternal: vi.fn(async (_url: string) => {}),
  };
  return { deps, handlers: createIpcHandlers(deps) };
}

describe('IPC handlers', () => {
  it('reports app info for electron', async () => {
    const { handlers } = setup();
    expect(await handlers['app:info']()).toEqual({ version: '0.1.0', platform: 'linux', kind: 'electron' });
  });

  it('reads and writes the server URL through the settings store', async () => {
    const { handlers, deps } = setup();
    await handlers['settings:set-server-url']('https://calls.example');
    expect(deps.settings.setServerUrl).toHaveBeenCalledWith('https://calls.example');
    expect(await handlers['settings:get-server-url']()).toBe('https://calls.example');
  });

  it('opens only http(s) links', async () => {
    const { handlers, deps } = setup();
    await handlers['shell:open-external']('https://example.com/help');
    expect(deps.openExternal).toHaveBeenCalledWith('https://example.com/help');
    await expect(handlers['shell:open-external']('file:///etc/passwd')).rejects.toThrow(/http/);
    expect(deps.openExternal).toHaveBeenCalledTimes(1);
  });
});
