import { describe, expect, it, vi } from 'vitest';
import { createLinkOpener } from '../../../main/external-links';

describe('link opener (the only shell.openExternal call)', () => {
  it('opens an https link in the system browser', async () => {
    const shell = { openExternal: vi.fn(async (_url: string) => {}) };
    await createLinkOpener(shell)('https://help.example/page?x=1');
    expect(shell.openExternal).toHaveBeenCalledWith('https://help.example/page?x=1');
  });

  it('refuses everything that is not an https URL without credentials, and says so', async () => {
    const shell = { openExternal: vi.fn(async (_url: string) => {}) };
    const open = createLinkOpener(shell);
    const refused = [
      'http://help.example/',
      'file:///etc/passwd',
      'smb://host/share',
      'javascript:alert(1)',
      'ms-msdt:/id',
      'https://user:secret@help.example/',
      'not a url',
      '',
      42,
      null,
      `https://example.com/${'a'.repeat(5000)}`,
    ];
    for (const url of refused) await expect(open(url), String(url)).rejects.toThrow(/https|string|Too big|expected/i);
    expect(shell.openExternal).not.toHaveBeenCalled();
  });
});
