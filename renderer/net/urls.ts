// URL building is shared with the widget; choosing a server is the agent app's own.
export { apiUrl, wsUrl } from '../../browser/net/urls';

/**
 * Turns what a person typed into a canonical server URL, or explains what is wrong.
 * Keeps any sub-path but drops a trailing slash, query and fragment so the stored value is stable.
 */
export function normalizeServerUrl(input: string): { ok: true; url: string } | { ok: false; message: string } {
  const trimmed = input.trim();
  if (!trimmed) return { ok: false, message: 'Enter the server address, for example https://veildesk.example.com.' };
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { ok: false, message: 'Enter the server address starting with http:// or https://.' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, message: 'Enter the server address starting with http:// or https://.' };
  }
  if (url.username || url.password) {
    return { ok: false, message: 'The server address must not contain a user name or password.' };
  }
  const path = url.pathname.replace(/\/+$/, '');
  return { ok: true, url: `${url.origin}${path}` };
}
