import { describe, expect, it, vi } from 'vitest';
import { APP_ORIGIN } from '../../../main/app-origin';
import { type GuardableContents, installNavigationGuard, isExternalHttpUrl } from '../../../main/navigation';

function fakeEvent() {
  return { prevented: false, preventDefault() { this.prevented = true; } };
}

function setup() {
  const openExternal = vi.fn(async (_url: string) => {});
  const listeners = new Map<string, (...args: never[]) => void>();
  let openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
  const contents = {
    on: (event: string, listener: (...args: never[]) => void) => listeners.set(event, listener),
    setWindowOpenHandler: (handler: (details: { url: string }) => { action: 'deny' }) => (openHandler = handler),
  } as GuardableContents;
  installNavigationGuard(contents, { appOrigin: APP_ORIGIN, openExternal });
  const fire = (event: string, url?: string) => {
    const e = fakeEvent();
    (listeners.get(event) as (e: unknown, url?: string) => void)(e, url);
    return e.prevented;
  };
  return { openExternal, fire, open: (url: string) => openHandler?.({ url }) };
}

describe('isExternalHttpUrl', () => {
  it('accepts only http and https', () => {
    expect(isExternalHttpUrl('https://example.com/x')).toBe(true);
    expect(isExternalHttpUrl('http://example.com')).toBe(true);
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'app://veildesk/', 'mailto:a@b', 'not a url', '']) {
      expect(isExternalHttpUrl(url), url).toBe(false);
    }
  });
});

describe('navigation guard', () => {
  it('allows navigation inside the app origin', () => {
    const { fire, openExternal } = setup();
    expect(fire('will-navigate', 'app://veildesk/index.html')).toBe(false);
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('stops navigation away and sends http(s) links to the system browser', () => {
    const { fire, openExternal } = setup();
    expect(fire('will-navigate', 'https://example.com/help')).toBe(true);
    expect(openExternal).toHaveBeenCalledWith('https://example.com/help');
  });

  it('stops non-http navigation without opening anything', () => {
    const { fire, openExternal } = setup();
    expect(fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fire('will-navigate', 'app://evil/index.html')).toBe(true);
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('stops redirects out of the app without opening them', () => {
    const { fire, openExternal } = setup();
    expect(fire('will-redirect', 'https://example.com/')).toBe(true);
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('denies every new window, opening http(s) ones externally', () => {
    const { open, openExternal } = setup();
    expect(open('https://example.com/')).toEqual({ action: 'deny' });
    expect(open('app://veildesk/index.html')).toEqual({ action: 'deny' });
    expect(open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls).toEqual([['https://example.com/']]);
  });

  it('refuses webviews', () => {
    const { fire } = setup();
    expect(fire('will-attach-webview')).toBe(true);
  });
});
