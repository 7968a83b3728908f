/**
 * What both static roots (the web agent at `/`, the widget at `/widget/`) refuse: any path segment
 * starting with '.' (`/.env`, `/.git/config`, `/assets/.cache/x`), answered 404 like a missing file.
 * `send` also ignores dotfiles; this check sees the decoded path first, so an encoded dot is refused too.
 */
export const STATIC_DOTFILES = 'ignore' as const;

export function staticPathAllowed(pathname: string): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return false;
  }
  return !decoded.split(/[/\\]/).some((segment) => segment.startsWith('.'));
}
