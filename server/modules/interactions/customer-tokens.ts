import { createHash, randomBytes } from 'node:crypto';
import type { Principal, PrincipalResolver } from '../../kernel/principal';
import type { InteractionsRepo } from './repo';

/** Customer tokens start with this; the gateway hands them to this module's resolver. */
export const CUSTOMER_TOKEN_PREFIX = 'vc_';

export const customerPrincipalId = (interactionId: string): string => `customer:${interactionId}`;

export const hashCustomerToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** A random bearer token for one interaction's widget; only its hash is stored. */
export function issueCustomerToken(now: Date, ttlMs: number): { token: string; hash: string; expiresAt: Date } {
  const token = `${CUSTOMER_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashCustomerToken(token), expiresAt: new Date(now.getTime() + ttlMs) };
}

/**
 * Turns a `vc_` token from a widget's hello into a customer principal that may act on its one
 * interaction only. Unknown or expired tokens resolve to null (the gateway closes with 4401).
 */
export class CustomerPrincipalResolver implements PrincipalResolver {
  constructor(
    private readonly repo: InteractionsRepo,
    private readonly now: () => Date = () => new Date(),
  ) {}

  accepts(token: string): boolean {
    return token.startsWith(CUSTOMER_TOKEN_PREFIX);
  }

  async resolve(token: string): Promise<Principal | null> {
    if (token.length > 200) return null;
    const row = await this.repo.findByTokenHash(hashCustomerToken(token));
    if (!row?.customer_token_expires_at) return null;
    const expiresAt = new Date(row.customer_token_expires_at);
    if (expiresAt.getTime() <= this.now().getTime()) return null;
    const id = customerPrincipalId(row.id);
    return { id, role: 'customer', displayName: row.customer_name || 'Customer', sessionId: id, expiresAt, interactionId: row.id };
  }
}
