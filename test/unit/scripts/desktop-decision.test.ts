import { describe, expect, it, vi } from 'vitest';
import { resolveDesktop, type DesktopDeps, type InstallOutcome } from '../../../scripts/desktop/desktop-decision';

type InstallMock = ReturnType<typeof vi.fn<(limitMs: number) => Promise<InstallOutcome>>>;

/** Deps with a binary that appears once the (fake) installer ran, unless `binaryAfterInstall` says otherwise. */
function deps(over: Partial<Omit<DesktopDeps, 'install'>> & { install?: InstallMock; binaryAfterInstall?: string | null } = {}): DesktopDeps & { install: InstallMock } {
  let installed = false;
  const install: InstallMock =
    over.install ??
    vi.fn(async (_limitMs: number): Promise<InstallOutcome> => {
      installed = true;
      return { ok: true };
    });
  return {
    findBinary: () => (installed ? (over.binaryAfterInstall === undefined ? '/x/electron' : over.binaryAfterInstall) : null),
    env: {},
    say: () => undefined,
    ...over,
    install,
  };
}

describe('resolveDesktop', () => {
  it('uses an installed binary without running the installer', async () => {
    const d = deps({ findBinary: () => '/opt/electron' });
    expect(await resolveDesktop(d)).toEqual({ kind: 'electron', binary: '/opt/electron', downloaded: false });
    expect(d.install).not.toHaveBeenCalled();
  });

  it('runs the installer once with the 120 s limit when the binary is missing, then uses it', async () => {
    const d = deps();
    expect(await resolveDesktop(d)).toEqual({ kind: 'electron', binary: '/x/electron', downloaded: true });
    expect(d.install).toHaveBeenCalledTimes(1);
    expect(d.install).toHaveBeenCalledWith(120_000);
  });

  it('honours VEILDESK_ELECTRON_DOWNLOAD_TIMEOUT_S and refuses a nonsense value', async () => {
    const d = deps({ env: { VEILDESK_ELECTRON_DOWNLOAD_TIMEOUT_S: '30' } });
    await resolveDesktop(d);
    expect(d.install).toHaveBeenCalledWith(30_000);
    await expect(resolveDesktop(deps({ env: { VEILDESK_ELECTRON_DOWNLOAD_TIMEOUT_S: 'soon' } }))).rejects.toThrow(/whole number of seconds/);
  });

  it('falls back to the web agent with the reason when the download fails or times out', async () => {
    for (const reason of ['the download server could not be reached', 'no complete download within 120 s']) {
      const install: InstallMock = vi.fn(async () => ({ ok: false as const, reason }));
      const choice = await resolveDesktop(deps({ install }));
      expect(choice).toEqual({ kind: 'web', reason: `Electron's binary could not be downloaded: ${reason}` });
      expect(install).toHaveBeenCalledTimes(1);
    }
  });

  it('says so when the installer succeeds but leaves no binary', async () => {
    const choice = await resolveDesktop(deps({ binaryAfterInstall: null }));
    expect(choice.kind).toBe('web');
    expect(choice.kind === 'web' && choice.reason).toMatch(/no binary/);
  });

  it('makes no attempt when ELECTRON_SKIP_BINARY_DOWNLOAD is set (or its npm config form)', async () => {
    for (const env of [{ ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }, { npm_config_electron_skip_binary_download: 'true' }]) {
      const d = deps({ env });
      const choice = await resolveDesktop(d);
      expect(choice.kind).toBe('web');
      expect(choice.kind === 'web' && choice.reason).toMatch(/ELECTRON_SKIP_BINARY_DOWNLOAD/);
      expect(d.install).not.toHaveBeenCalled();
    }
  });
});
