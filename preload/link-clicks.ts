/**
 * The user-gesture path for links: a real click (event.isTrusted, which page scripts cannot fake)
 * on an `<a href>` that leaves the app is stopped here, and an https one goes to main to open in
 * the system browser. The preload runs in its own isolated world, so the page cannot remove or
 * wrap this listener. Main opens nothing on navigation or window.open (main/navigation.ts).
 */

/** The parts of a DOM click event this module reads. */
export interface LinkClickEvent {
  readonly isTrusted: boolean;
  readonly defaultPrevented: boolean;
  /** 0 main button, 1 middle (auxclick); others never open links. */
  readonly button: number;
  readonly target: unknown;
  preventDefault(): void;
}

export interface ClickTarget {
  addEventListener(type: 'click' | 'auxclick', listener: (event: LinkClickEvent) => void): void;
}

interface AnchorLike {
  readonly href: string;
  hasAttribute?(name: string): boolean;
}

function closestAnchor(target: unknown): AnchorLike | null {
  const element = target as { closest?: (selector: string) => unknown } | null;
  if (!element || typeof element.closest !== 'function') return null;
  const anchor = element.closest('a[href]') as { href?: unknown } | null;
  return anchor && typeof anchor.href === 'string' ? (anchor as AnchorLike) : null;
}

/**
 * app://veildesk links stay in the app (the navigation guard allows only those), and so do the
 * app's own downloads: `<a download>` and blob: URLs the page made (CSV, recordings, exports).
 */
function staysInApp(anchor: AnchorLike, appOrigin: string): boolean {
  const { href } = anchor;
  if (href === appOrigin || href.startsWith(`${appOrigin}/`) || href.startsWith(`blob:${appOrigin}/`)) return true;
  return anchor.hasAttribute?.('download') === true && href.startsWith('blob:');
}

export function isHttpsLink(href: string): boolean {
  try {
    return new URL(href).protocol === 'https:';
  } catch {
    return false;
  }
}

/** What to do with one click: nothing, stop it, or stop it and open the link outside. */
export function linkClickAction(event: LinkClickEvent, appOrigin: string): { kind: 'ignore' } | { kind: 'block' } | { kind: 'open'; url: string } {
  if (event.button !== 0 && event.button !== 1) return { kind: 'ignore' };
  // The page handled it (an in-app route, a button inside a link).
  if (event.defaultPrevented) return { kind: 'ignore' };
  const anchor = closestAnchor(event.target);
  if (!anchor || staysInApp(anchor, appOrigin)) return { kind: 'ignore' };
  if (!event.isTrusted || !isHttpsLink(anchor.href)) return { kind: 'block' };
  return { kind: 'open', url: anchor.href };
}

/**
 * Listens in the bubble phase on the window, after the page's own handlers, so a link the page
 * handles itself is left alone.
 */
export function installLinkClicks(target: ClickTarget, appOrigin: string, open: (url: string) => void): void {
  const onClick = (event: LinkClickEvent): void => {
    const action = linkClickAction(event, appOrigin);
    if (action.kind === 'ignore') return;
    event.preventDefault();
    if (action.kind === 'open') open(action.url);
  };
  target.addEventListener('click', onClick);
  target.addEventListener('auxclick', onClick);
}
