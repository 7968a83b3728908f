import { describe, expect, it } from 'vitest';
import { installLinkClicks, type LinkClickEvent } from '../../../preload/link-clicks';

const APP = 'app://veildesk';

/** An element whose closest('a[href]') is a link to href (or no link). */
const inside = (href: string | null, attributes: string[] = []) => ({
  closest: (selector: string) => (selector === 'a[href]' && href !== null ? { href, hasAttribute: (name: string) => attributes.includes(name) } : null),
});

function click(over: Partial<LinkClickEvent> & { href?: string | null }) {
  const event = {
    isTrusted: true,
    defaultPrevented: false,
    button: 0,
    target: inside(over.href === undefined ? 'https://help.example/' : over.href),
    ...over,
    preventDefault() {
      (this as { defaultPrevented: boolean }).defaultPrevented = true;
    },
  };
  return event;
}

function setup() {
  const listeners = new Map<string, (event: LinkClickEvent) => void>();
  const opened: string[] = [];
  installLinkClicks({ addEventListener: (type, listener) => listeners.set(type, listener) }, APP, (url) => opened.push(url));
  const fire = (type: 'click' | 'auxclick', event: ReturnType<typeof click>) => {
    listeners.get(type)?.(event);
    return event.defaultPrevented;
  };
  return { fire, opened };
}

describe('preload link clicks: the only way a link opens outside', () => {
  it('a real click on an https link opens it in the system browser, not in the app', () => {
    const { fire, opened } = setup();
    expect(fire('click', click({}))).toBe(true);
    expect(fire('auxclick', click({ button: 1 }))).toBe(true);
    expect(opened).toEqual(['https://help.example/', 'https://help.example/']);
  });

  it('a scripted click (not trusted) on a link is stopped and opens nothing', () => {
    const { fire, opened } = setup();
    expect(fire('click', click({ isTrusted: false }))).toBe(true);
    expect(opened).toEqual([]);
  });

  it('http, file and custom-scheme links are stopped and open nothing', () => {
    const { fire, opened } = setup();
    for (const href of ['http://help.example/', 'file:///etc/passwd', 'smb://host/x', 'javascript:alert(1)']) {
      expect(fire('click', click({ href })), href).toBe(true);
    }
    expect(opened).toEqual([]);
  });

  it('leaves in-app links, clicks outside links, right clicks and links the page handled alone', () => {
    const { fire, opened } = setup();
    expect(fire('click', click({ href: `${APP}/index.html#history` }))).toBe(false);
    // The app's own downloads (reports CSV, recordings, privacy exports) are blob: URLs of the app.
    expect(fire('click', click({ href: `blob:${APP}/5f0c6d1e-1b8e-4a36-9a51-3c2b9f0e7a11` }))).toBe(false);
    expect(fire('click', click({ href: 'blob:null/5f0c6d1e', target: inside('blob:null/5f0c6d1e', ['download']) }))).toBe(false);
    expect(fire('click', click({ href: null }))).toBe(false);
    expect(fire('auxclick', click({ button: 2 }))).toBe(false);
    const handled = click({});
    handled.defaultPrevented = true;
    fire('click', handled);
    expect(opened).toEqual([]);
  });
});
