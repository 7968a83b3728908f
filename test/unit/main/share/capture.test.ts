import { describe, expect, it } from 'vitest';
import { APP_ORIGIN } from '../../../../main/app-origin';
import { captureProtection, contentProtectionSupported, protectWindow } from '../../../../main/capture/content-protection';
import { CaptureSelection, decideDisplayMedia, installDisplayMediaHandler, SELECTION_TTL_MS, type DisplayMediaQuery, type DisplayMediaRequestLike } from '../../../../main/capture/display-media';
import { listCaptureSources, type CapturerLike, type CapturerSourceLike } from '../../../../main/capture/sources';
import { createIpcHandlers } from '../../../../main/ipc/handlers';
import { wrapIpcHandler } from '../../../../main/ipc/register';

const source = (id: string, name = id, thumb = 'data:image/png;base64,AAAA'): CapturerSourceLike => ({ id, name, thumbnail: { isEmpty: () => thumb === '', toDataURL: () => thumb } });

describe('decideDisplayMedia', () => {
  const base: DisplayMediaQuery = {
    origin: APP_ORIGIN,
    isMainFrame: true,
    videoRequested: true,
    appOrigin: APP_ORIGIN,
    selection: { sourceId: 'screen:1:0', at: 1000 },
    available: ['screen:1:0', 'window:7:0'],
    now: 2000,
  };

  it('grants exactly the picked source to the app main frame', () => {
    expect(decideDisplayMedia(base)).toEqual({ grant: true, sourceId: 'screen:1:0' });
    expect(decideDisplayMedia({ ...base, origin: `${APP_ORIGIN}/index.html`, selection: { sourceId: 'window:7:0', at: 1000 } })).toEqual({ grant: true, sourceId: 'window:7:0' });
  });

  it.each<[string, Partial<DisplayMediaQuery>]>([
    ['another origin', { origin: 'https://evil.example' }],
    ['no origin', { origin: null }],
    ['a subframe', { isMainFrame: false }],
    ['no video requested', { videoRequested: false }],
    ['no pick', { selection: null }],
    ['a stale pick', { now: 1000 + SELECTION_TTL_MS + 1 }],
    ['a source that went away', { available: ['window:7:0'] }],
  ])('refuses %s', (_name, patch) => {
    expect(decideDisplayMedia({ ...base, ...patch })).toMatchObject({ grant: false });
  });
});

describe('CaptureSelection', () => {
  it('hands the pick out once', () => {
    const selection = new CaptureSelection(() => 5);
    expect(selection.take()).toBeNull();
    selection.select('screen:1:0');
    expect(selection.take()).toEqual({ sourceId: 'screen:1:0', at: 5 });
    expect(selection.take()).toBeNull();
  });
});

describe('installDisplayMediaHandler', () => {
  function setup(sources: CapturerSourceLike[]) {
    let handler: ((r: DisplayMediaRequestLike, cb: (s: unknown) => void) => void) | null = null;
    let opts: unknown;
    const selection = new CaptureSelection(() => 0);
    const capturer: CapturerLike = { getSources: async () => sources };
    installDisplayMediaHandler({ setDisplayMediaRequestHandler: (h, o) => ((handler = h as never), (opts = o)) }, { capturer, selection, appOrigin: APP_ORIGIN, now: () => 10 });
    const ask = (r: Partial<DisplayMediaRequestLike> = {}) =>
      new Promise((resolve) => handler!({ securityOrigin: APP_ORIGIN, frame: { url: `${APP_ORIGIN}/index.html`, parent: null }, videoRequested: true, audioRequested: true, ...r }, resolve));
    return { selection, ask, opts };
  }

  it('never uses the system picker; grants the pick as video only (no audio), then refuses the next request', async () => {
    const screen = source('screen:1:0');
    const { selection, ask, opts } = setup([screen, source('window:7:0')]);
    expect(opts).toEqual({ useSystemPicker: false });
    selection.select('screen:1:0');
    expect(await ask()).toEqual({ video: screen });
    expect(await ask()).toBeNull();
  });

  it('refuses a request from a subframe or another origin, and uses the pick up', async () => {
    const { selection, ask } = setup([source('screen:1:0')]);
    selection.select('screen:1:0');
    expect(await ask({ frame: { url: `${APP_ORIGIN}/index.html`, parent: {} } })).toBeNull();
    selection.select('screen:1:0');
    expect(await ask({ securityOrigin: 'https://evil.example' })).toBeNull();
    expect(await ask()).toBeNull();
  });
});

describe('listCaptureSources', () => {
  it('lists screens and windows with thumbnails, leaving out our own windows', async () => {
    const calls: unknown[] = [];
    const capturer: CapturerLike = {
      getSources: async (opts) => {
        calls.push(opts);
        return [source('screen:1:0', 'Entire screen'), source('window:7:0', 'Spreadsheet'), source('window:9:0', 'Veildesk'), source('window:8:0', 'No thumb', '')];
      },
    };
    const list = await listCaptureSources(capturer, () => ['window:9:0']);
    expect(list).toEqual([
      { id: 'screen:1:0', name: 'Entire screen', kind: 'screen', thumbnail: 'data:image/png;base64,AAAA' },
      { id: 'window:7:0', name: 'Spreadsheet', kind: 'window', thumbnail: 'data:image/png;base64,AAAA' },
      { id: 'window:8:0', name: 'No thumb', kind: 'window', thumbnail: '' },
    ]);
    expect(calls).toEqual([{ types: ['screen', 'window'], thumbnailSize: { width: 320, height: 180 }, fetchWindowIcons: false }]);
  });
});

describe('content protection', () => {
  it('is used on Windows and macOS, and reported as missing on Linux', () => {
    expect(contentProtectionSupported('win32')).toBe(true);
    expect(contentProtectionSupported('darwin')).toBe(true);
    expect(contentProtectionSupported('linux')).toBe(false);
    const set: boolean[] = [];
    expect(protectWindow({ setContentProtection: (on) => void set.push(on) }, 'darwin')).toBe(true);
    expect(protectWindow({ setContentProtection: (on) => void set.push(on) }, 'linux')).toBe(false);
    expect(set).toEqual([true]);
    expect(captureProtection('win32')).toEqual({ ownWindowsHidden: true });
    expect(captureProtection('linux')).toMatchObject({ ownWindowsHidden: false, reason: expect.stringMatching(/Linux/) });
  });
});

describe('capture IPC channels', () => {
  const policy = { appOrigin: APP_ORIGIN, isOurWebContents: () => true };
  const event = { sender: {}, senderFrame: { url: `${APP_ORIGIN}/index.html`, parent: null } };
  const base = { getVersion: () => '1', platform: 'linux', settings: { getServerUrl: async () => '', setServerUrl: async () => {} }, openClickedLink: async () => {} };

  it('select validates the source id against the contract before main sees it', async () => {
    const picked: string[] = [];
    const handlers = createIpcHandlers({ ...base, capture: { list: async () => [], select: (id) => void picked.push(id), protection: () => ({ ownWindowsHidden: false }) } });
    const select = wrapIpcHandler('capture:select-source', handlers['capture:select-source'], policy);
    expect(await select(event, 'screen:1:0')).toEqual({ ok: true, value: undefined });
    expect(await select(event, 'file:///etc/passwd')).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await select(event, 'screen:1:0', 'extra')).toMatchObject({ ok: false });
    expect(picked).toEqual(['screen:1:0']);
  });

  it('answers "not available" without capture deps', async () => {
    const handlers = createIpcHandlers(base);
    const list = wrapIpcHandler('capture:list-sources', handlers['capture:list-sources'], policy);
    expect(await list(event)).toMatchObject({ ok: false, error: { message: expect.stringMatching(/not available/) } });
  });
});
