import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSettingsStore, defaultServerUrl, FALLBACK_SERVER_URL } from '../../../main/settings';
import type { Logger } from '../../../main/log';

function recorder() {
  const lines: string[] = [];
  const log: Logger = {
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
  };
  return { log, lines };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'veildesk-settings-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('defaultServerUrl', () => {
  it('uses VEILDESK_SERVER_URL when valid, else localhost:4280', () => {
    expect(FALLBACK_SERVER_URL).toBe('http://localhost:4280');
    expect(defaultServerUrl({})).toBe(FALLBACK_SERVER_URL);
    expect(defaultServerUrl({ VEILDESK_SERVER_URL: 'https://calls.example:8443' })).toBe('https://calls.example:8443');
    const { log, lines } = recorder();
    expect(defaultServerUrl({ VEILDESK_SERVER_URL: 'ftp://nope' }, log)).toBe(FALLBACK_SERVER_URL);
    expect(lines.some((l) => l.startsWith('warn'))).toBe(true);
  });
});

describe('settings store', () => {
  it('returns the default when nothing is stored', async () => {
    const store = createSettingsStore({ dir, env: { VEILDESK_SERVER_URL: 'http://127.0.0.1:5000' } });
    expect(await store.getServerUrl()).toBe('http://127.0.0.1:5000');
  });

  it('persists the server URL as JSON in settings.json', async () => {
    const store = createSettingsStore({ dir, env: {} });
    await store.setServerUrl('https://calls.example');
    expect(store.filePath).toBe(path.join(dir, 'settings.json'));
    expect(JSON.parse(await readFile(store.filePath, 'utf8'))).toEqual({ serverUrl: 'https://calls.example' });
    const reopened = createSettingsStore({ dir, env: {} });
    expect(await reopened.getServerUrl()).toBe('https://calls.example');
  });

  it('refuses an invalid URL without writing', async () => {
    const store = createSettingsStore({ dir, env: {} });
    await expect(store.setServerUrl('javascript:alert(1)')).rejects.toThrow(/http/);
    await expect(store.setServerUrl('https://user:pw@calls.example')).rejects.toThrow();
    await expect(readFile(path.join(dir, 'settings.json'))).rejects.toThrow();
  });

  it('keeps keys it does not know about', async () => {
    await writeFile(path.join(dir, 'settings.json'), JSON.stringify({ serverUrl: 'http://a.example', theme: 'dark' }));
    const store = createSettingsStore({ dir, env: {} });
    await store.setServerUrl('http://b.example');
    expect(JSON.parse(await readFile(store.filePath, 'utf8'))).toEqual({ serverUrl: 'http://b.example', theme: 'dark' });
  });

  it.each([
    ['corrupt JSON', '{"serverUrl": "http://a.exa'],
    ['an invalid URL', JSON.stringify({ serverUrl: 'file:///etc/passwd' })],
    ['a wrong shape', JSON.stringify(['http://a.example'])],
  ])('falls back to defaults on %s, keeping a .bak and logging', async (_name, content) => {
    await writeFile(path.join(dir, 'settings.json'), content);
    const { log, lines } = recorder();
    const store = createSettingsStore({ dir, env: {}, log });
    expect(await store.getServerUrl()).toBe(FALLBACK_SERVER_URL);
    expect(await readFile(path.join(dir, 'settings.json.bak'), 'utf8')).toBe(content);
    expect(lines.some((l) => l.startsWith('warn') && l.includes('moved it aside'))).toBe(true);
    // The store keeps working: a new value replaces the bad file.
    await store.setServerUrl('https://calls.example');
    expect(await createSettingsStore({ dir, env: {} }).getServerUrl()).toBe('https://calls.example');
  });

  it('serialises concurrent writes; the last one wins', async () => {
    const store = createSettingsStore({ dir, env: {} });
    await Promise.all(['http://a.example', 'http://b.example', 'http://c.example'].map((u) => store.setServerUrl(u)));
    expect(await createSettingsStore({ dir, env: {} }).getServerUrl()).toBe('http://c.example');
  });
});
