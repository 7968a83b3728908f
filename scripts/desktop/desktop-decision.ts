/**
 * Whether `npm start` / `npm run desktop` can open the desktop app, and if the Electron binary is
 * missing, getting it once through the electron package's own installer. Pure of I/O: the binary
 * lookup, the installer and the output are passed in, so the unit tests drive every branch.
 */

export type DesktopChoice =
  | { kind: 'electron'; binary: string; downloaded: boolean }
  | { kind: 'web'; reason: string };

export type InstallOutcome = { ok: true } | { ok: false; reason: string };

export interface DesktopDeps {
  /** The Electron executable if installed, else null (never downloads). */
  findBinary(): string | null;
  /** Runs the electron package's installer once, ended after `limitMs`. */
  install(limitMs: number): Promise<InstallOutcome>;
  env: Record<string, string | undefined>;
  say(line: string): void;
}

/** How long the first-start download may take before the web agent is used instead. */
export const DEFAULT_DOWNLOAD_LIMIT_S = 120;

/** The electron package skips its download for any non-empty value (as npm's config form too). */
export function downloadSkipped(env: Record<string, string | undefined>): boolean {
  return Boolean(env.ELECTRON_SKIP_BINARY_DOWNLOAD || env.npm_config_electron_skip_binary_download);
}

/** VEILDESK_ELECTRON_DOWNLOAD_TIMEOUT_S (1 to 3600), else the default. */
export function downloadLimitMs(env: Record<string, string | undefined>): number {
  const raw = env.VEILDESK_ELECTRON_DOWNLOAD_TIMEOUT_S;
  const seconds = raw === undefined || raw === '' ? DEFAULT_DOWNLOAD_LIMIT_S : Number(raw);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 3600) {
    throw new Error(`VEILDESK_ELECTRON_DOWNLOAD_TIMEOUT_S must be a whole number of seconds from 1 to 3600 (got "${raw}").`);
  }
  return seconds * 1000;
}

export async function resolveDesktop(deps: DesktopDeps): Promise<DesktopChoice> {
  const present = deps.findBinary();
  if (present) return { kind: 'electron', binary: present, downloaded: false };
  if (downloadSkipped(deps.env)) {
    return { kind: 'web', reason: "ELECTRON_SKIP_BINARY_DOWNLOAD is set, so Electron's binary was not downloaded" };
  }
  const limitMs = downloadLimitMs(deps.env);
  deps.say(`Electron's binary is missing: downloading it once with the electron package's installer (limit ${limitMs / 1000} s)…`);
  const outcome = await deps.install(limitMs);
  if (!outcome.ok) return { kind: 'web', reason: `Electron's binary could not be downloaded: ${outcome.reason}` };
  const installed = deps.findBinary();
  if (!installed) return { kind: 'web', reason: "Electron's installer finished, but no binary is where the electron package expects it (delete node_modules/electron and run npm install)" };
  return { kind: 'electron', binary: installed, downloaded: true };
}
