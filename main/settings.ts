import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ServerUrl } from '../shared/bridge/desktop-bridge';
import { DEFAULT_PORT } from '../shared/version';
import { type Logger, silentLogger } from './log';

export const SETTINGS_FILE = 'settings.json';
export const FALLBACK_SERVER_URL = `http://localhost:${DEFAULT_PORT}`;

/** Loose so a newer app version's keys survive a round trip through an older one. */
const SettingsFile = z.looseObject({ serverUrl: ServerUrl.optional() });
type SettingsFile = z.infer<typeof SettingsFile>;

/** VEILDESK_SERVER_URL when it is a valid server URL, else the local default. */
export function defaultServerUrl(env: NodeJS.ProcessEnv = process.env, log: Logger = silentLogger): string {
  const fromEnv = env.VEILDESK_SERVER_URL;
  if (fromEnv === undefined || fromEnv === '') return FALLBACK_SERVER_URL;
  if (ServerUrl.safeParse(fromEnv).success) return fromEnv;
  log.warn('VEILDESK_SERVER_URL is not a valid server URL; using the default', { fallback: FALLBACK_SERVER_URL });
  return FALLBACK_SERVER_URL;
}

export interface SettingsStore {
  readonly filePath: string;
  /** The stored server URL, or the default when none is stored. */
  getServerUrl(): Promise<string>;
  setServerUrl(url: string): Promise<void>;
  /** `updateFeedUrl` as written in settings.json by IT, unchecked (main/update/feed-config.ts checks it). */
  getUpdateFeedUrl(): Promise<string | undefined>;
}

export interface SettingsStoreOptions {
  /** app.getPath('userData') */
  dir: string;
  env?: NodeJS.ProcessEnv;
  log?: Logger;
}

export function createSettingsStore(options: SettingsStoreOptions): SettingsStore {
  const log = options.log ?? silentLogger;
  const filePath = path.join(options.dir, SETTINGS_FILE);
  const fallbackUrl = defaultServerUrl(options.env ?? process.env, log);
  let cached: SettingsFile | null = null;
  let writes: Promise<void> = Promise.resolve();

  /** A file we can't use is moved aside to .bak (never deleted) and the defaults apply. */
  async function setAside(reason: string): Promise<SettingsFile> {
    const backup = `${filePath}.bak`;
    try {
      await copyFile(filePath, backup);
      await rm(filePath, { force: true });
      log.warn('settings file was unusable; moved it aside and using defaults', { reason, backup });
    } catch (error) {
      log.error('settings file was unusable and could not be backed up', { reason, error: String(error) });
    }
    return {};
  }

  async function load(): Promise<SettingsFile> {
    if (cached) return cached;
    let text: string;
    try {
      text = await readFile(filePath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        log.error('could not read settings; using defaults', { error: String(error) });
      }
      return (cached = {});
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return (cached = await setAside('not valid JSON'));
    }
    const parsed = SettingsFile.safeParse(json);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => issue.path.join('.') || '(root)').join(', ');
      return (cached = await setAside(`invalid fields: ${fields}`));
    }
    return (cached = parsed.data);
  }

  async function save(next: SettingsFile): Promise<void> {
    await mkdir(options.dir, { recursive: true });
    // Write then rename, so a crash mid-write never leaves a half file behind.
    const temp = `${filePath}.tmp`;
    await writeFile(temp, `${JSON.stringify(next, null, 2)}\n`, { encoding: 'utf8', mode: 0o600 });
    await rename(temp, filePath);
    cached = next;
  }

  return {
    filePath,
    async getServerUrl() {
      return (await load()).serverUrl ?? fallbackUrl;
    },
    async getUpdateFeedUrl() {
      const value = (await load()).updateFeedUrl;
      return typeof value === 'string' ? value : undefined;
    },
    setServerUrl(url) {
      const parsed = ServerUrl.safeParse(url);
      if (!parsed.success) {
        return Promise.reject(new Error(parsed.error.issues[0]?.message ?? 'invalid server URL'));
      }
      const write = writes.then(async () => save({ ...(await load()), serverUrl: parsed.data }));
      writes = write.catch(() => {}); // one failed write must not block the next
      return write;
    },
  };
}
