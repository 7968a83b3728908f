import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * What `npm run dist` needs before electron-builder runs, checked up front so that a missing piece
 * is named plainly instead of failing deep inside the packager: the Electron zip of each target
 * (from electron-builder's download cache, or a reachable download server), and code-signing
 * settings for Windows and macOS. Pure but for the probes passed in.
 */

export type DistTarget = 'linux' | 'win' | 'mac';

export interface DistFinding {
  level: 'ok' | 'warn' | 'fail';
  what: string;
  detail: string;
}

/** Targets from electron-builder's own flags (--linux, --win/--windows, --mac/--macos/-m/-w/-l), else this platform. */
export function distTargets(argv: readonly string[], platform: NodeJS.Platform): DistTarget[] {
  const picked = new Set<DistTarget>();
  for (const arg of argv) {
    if (arg === '--linux' || arg === '-l') picked.add('linux');
    if (arg === '--win' || arg === '--windows' || arg === '-w') picked.add('win');
    if (arg === '--mac' || arg === '--macos' || arg === '-m') picked.add('mac');
  }
  if (picked.size > 0) return [...picked];
  return [platform === 'win32' ? 'win' : platform === 'darwin' ? 'mac' : 'linux'];
}

const electronPlatform: Record<DistTarget, string> = { linux: 'linux', win: 'win32', mac: 'darwin' };

export function electronZipName(version: string, target: DistTarget, arch: string): string {
  return `electron-v${version}-${electronPlatform[target]}-${arch}.zip`;
}

/** Where @electron/get (used by electron-builder) caches downloads on this OS, unless electron_config_cache says otherwise. */
export function electronCacheDir(env: Record<string, string | undefined>, platform: NodeJS.Platform = process.platform): string {
  if (env.electron_config_cache) return env.electron_config_cache;
  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches', 'electron');
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(os.homedir(), 'AppData', 'Local'), 'electron', 'Cache');
  return path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'electron');
}

/** True when a file of that name is anywhere below the cache folder (it keeps one sub-folder per download URL). */
export function cacheHolds(cacheDir: string, fileName: string): boolean {
  if (!existsSync(cacheDir)) return false;
  return readdirSync(cacheDir, { recursive: true, withFileTypes: true }).some((e) => e.isFile() && e.name === fileName);
}

export function downloadUrl(version: string, zipName: string, env: Record<string, string | undefined>): string {
  const mirror = env.ELECTRON_MIRROR ?? env.npm_config_electron_mirror ?? 'https://github.com/electron/electron/releases/download/';
  const dir = env.ELECTRON_CUSTOM_DIR ?? `v${version}`;
  return `${mirror.endsWith('/') ? mirror : `${mirror}/`}${dir}/${zipName}`;
}

export interface DistProbes {
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  arch: string;
  electronVersion: string;
  cacheHolds(fileName: string): boolean;
  /** Whether the download server answers at all (any HTTP status) within a few seconds. */
  reachable(url: string): Promise<boolean>;
}

export async function checkDist(targets: readonly DistTarget[], probes: DistProbes): Promise<DistFinding[]> {
  const findings: DistFinding[] = [];
  const { env } = probes;
  for (const target of targets) {
    if (target === 'mac' && probes.platform !== 'darwin') {
      findings.push({ level: 'fail', what: 'macOS target', detail: 'a macOS build (dmg, signing, notarisation) must run on macOS' });
      continue;
    }
    const zip = electronZipName(probes.electronVersion, target, probes.arch);
    if (probes.cacheHolds(zip)) {
      findings.push({ level: 'ok', what: `Electron zip for ${target}`, detail: `${zip} is in the download cache` });
    } else {
      const url = downloadUrl(probes.electronVersion, zip, env);
      findings.push(
        (await probes.reachable(url))
          ? { level: 'ok', what: `Electron zip for ${target}`, detail: `${zip} will be downloaded from ${url}` }
          : {
              level: 'fail',
              what: `Electron zip for ${target}`,
              detail: `${zip} is not in the download cache (${electronCacheDir(env, probes.platform)}) and ${url} cannot be reached: copy the zip into that folder (or set electron_config_cache to a folder holding it), or set ELECTRON_MIRROR to a reachable mirror`,
            },
      );
    }
    findings.push(signingFinding(target, env));
  }
  return findings;
}

/** Unsigned builds are fine for trying the app; VEILDESK_REQUIRE_SIGNING=1 (release pipelines) makes them an error. */
export function signingFinding(target: DistTarget, env: Record<string, string | undefined>): DistFinding {
  const strict = env.VEILDESK_REQUIRE_SIGNING === '1';
  const missing = (detail: string): DistFinding => ({ level: strict ? 'fail' : 'warn', what: `signing for ${target}`, detail });
  if (target === 'linux') return { level: 'ok', what: 'signing for linux', detail: 'AppImage and deb need no code signature' };
  if (target === 'win') {
    if (!(env.WIN_CSC_LINK || env.CSC_LINK)) return missing('WIN_CSC_LINK (or CSC_LINK) and CSC_KEY_PASSWORD are not set: the installer will be unsigned and Windows SmartScreen will warn users');
    if (!(env.WIN_CSC_KEY_PASSWORD || env.CSC_KEY_PASSWORD)) return missing('a certificate is set but CSC_KEY_PASSWORD (or WIN_CSC_KEY_PASSWORD) is not');
    return { level: 'ok', what: 'signing for win', detail: 'certificate and password set' };
  }
  if (!(env.CSC_LINK || env.CSC_NAME)) return missing('CSC_LINK or CSC_NAME is not set: the app will be unsigned and Gatekeeper will block it on other Macs');
  if (!(env.APPLE_API_KEY || (env.APPLE_ID && env.APPLE_APP_SPECIFIC_PASSWORD))) {
    return missing('no notarisation credentials (APPLE_API_KEY with APPLE_API_KEY_ID and APPLE_API_ISSUER, or APPLE_ID with APPLE_APP_SPECIFIC_PASSWORD and APPLE_TEAM_ID)');
  }
  return { level: 'ok', what: 'signing for mac', detail: 'certificate and notarisation credentials set' };
}
