/** The HTTP API as a test checks it from Node: sign in for a token, then read with it. */

export interface ApiLogin {
  token: string;
  user: { id: string };
}

/** POST /api/auth/login; the demo org's password by default. */
export async function apiLogin(url: string, username: string, password = 'demo'): Promise<ApiLogin> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  return (await res.json()) as ApiLogin;
}

export async function apiToken(url: string, username: string): Promise<string> {
  return (await apiLogin(url, username)).token;
}

/** Signs in over HTTP and returns a GET helper with that session (for audit and policy checks). */
export async function apiSession(url: string, username: string): Promise<(route: string) => Promise<unknown>> {
  const token = await apiToken(url, username);
  return async (route) => (await fetch(`${url}${route}`, { headers: { authorization: `Bearer ${token}` } })).json();
}
