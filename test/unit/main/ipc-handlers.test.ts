import { describe, expect, it, vi } from 'vitest';
import { createLinkOpener } from '../../../main/external-links';
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
    shell: { openExternal: vi.fn(async (_url: string) => {}) },
  };
  return { deps, handlers: createIpcHandlers({ ...deps, openClickedLink: createLinkOpener(deps.shell) }) };
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

  it('opens only https links in the system browser', async () => {
    const { handlers, deps } = setup();
    await handlers['shell:open-external']('https://example.com/help');
    expect(deps.shell.openExternal).toHaveBeenCalledWith('https://example.com/help');
    for (const url of ['file:///etc/passwd', 'http://example.com/', 'smb://host/share', 'javascript:alert(1)']) {
      await expect(handlers['shell:open-external'](url), url).rejects.toThrow(/https/);
    }
    expect(deps.shell.openExternal).toHaveBeenCalledTimes(1);
  });
});
