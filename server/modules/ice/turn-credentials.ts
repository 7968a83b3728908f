import { createHmac } from 'node:crypto';

export interface TurnCredential {
  username: string;
  credential: string;
  expiresAt: Date;
}

/**
 * A short-lived TURN credential by the TURN REST API convention (coturn `use-auth-secret`): the
 * username is `<expiry-unix>:<principal-id>` and the credential base64(HMAC-SHA1(secret, username)).
 * The TURN server recomputes it with the same secret and refuses it after the expiry.
 */
export function turnCredential(secret: string, principalId: string, ttlSeconds: number, now: Date): TurnCredential {
  const expiry = Math.floor(now.getTime() / 1000) + ttlSeconds;
  const username = `${expiry}:${principalId}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential, expiresAt: new Date(expiry * 1000) };
}
