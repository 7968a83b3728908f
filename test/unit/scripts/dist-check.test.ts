import { describe, expect, it } from 'vitest';
import { checkDist, distTargets, downloadUrl, signingFinding, type DistProbes } from '../../../scripts/desktop/dist-check';

const probes = (over: Partial<DistProbes> = {}): DistProbes => ({
  env: {},
  platform: 'linux',
  arch: 'x64',
  electronVersion: '45.5.0',
  cacheHolds: () => false,
  reachable: async () => false,
  ...over,
});

describe('npm run dist preflight', () => {
  it('reads targets from electron-builder flags, else this platform', () => {
    expect(distTargets([], 'linux')).toEqual(['linux']);
    expect(distTargets([], 'darwin')).toEqual(['mac']);
    expect(distTargets(['--win', '--linux'], 'linux')).toEqual(['win', 'linux']);
  });

  it('fails plainly when the Electron zip is neither cached nor downloadable', async () => {
    const findings = await checkDist(['linux'], probes());
    const zip = findings.find((f) => f.what === 'Electron zip for linux');
    expect(zip?.level).toBe('fail');
    expect(zip?.detail).toMatch(/electron-v45\.5\.0-linux-x64\.zip is not in the download cache/);
    expect(zip?.detail).toMatch(/ELECTRON_MIRROR/);
  });

  it('passes with the zip in the cache, or a reachable download server (mirror settings honoured)', async () => {
    expect((await checkDist(['linux'], probes({ cacheHolds: (n) => n === 'electron-v45.5.0-linux-x64.zip' }))).every((f) => f.level === 'ok')).toBe(true);
    const asked: string[] = [];
    const findings = await checkDist(['linux'], probes({ env: { ELECTRON_MIRROR: 'https://m.example/e' }, reachable: async (u) => (asked.push(u), true) }));
    expect(asked).toEqual(['https://m.example/e/v45.5.0/electron-v45.5.0-linux-x64.zip']);
    expect(findings.every((f) => f.level === 'ok')).toBe(true);
    expect(downloadUrl('45.5.0', 'z.zip', {})).toBe('https://github.com/electron/electron/releases/download/v45.5.0/z.zip');
  });

  it('refuses a macOS target off macOS', async () => {
    const findings = await checkDist(['mac'], probes());
    expect(findings).toEqual([expect.objectContaining({ level: 'fail', what: 'macOS target' })]);
  });

  it('warns about unsigned Windows and macOS builds, and fails them when signing is required', () => {
    expect(signingFinding('win', {}).level).toBe('warn');
    expect(signingFinding('win', { VEILDESK_REQUIRE_SIGNING: '1' }).level).toBe('fail');
    expect(signingFinding('win', { CSC_LINK: 'cert.p12' }).detail).toMatch(/CSC_KEY_PASSWORD/);
    expect(signingFinding('win', { CSC_LINK: 'cert.p12', CSC_KEY_PASSWORD: 'x' }).level).toBe('ok');
    expect(signingFinding('mac', { CSC_LINK: 'c', APPLE_ID: 'a', APPLE_APP_SPECIFIC_PASSWORD: 'p' }).level).toBe('ok');
    expect(signingFinding('mac', { CSC_NAME: 'Dev ID' }).detail).toMatch(/notarisation/);
    expect(signingFinding('linux', {}).level).toBe('ok');
  });
});
