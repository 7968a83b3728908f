import { createHash, createHmac } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted at every depth, no whitespace, undefined dropped. Two equal
 * values always encode to the same bytes, so a hash over it is stable across processes and dialects.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export const GENESIS_HASH = '0'.repeat(64);

export interface HashedFields {
  id: number;
  at: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
  prevHash: string;
}

/** SHA-256 over the canonical encoding of every field of an entry, including the previous hash. */
export function entryHash(fields: HashedFields): string {
  return createHash('sha256').update(canonicalJson(fields)).digest('hex');
}

/** How an entry's hash was made: SHA-256 (entries written before the chain was keyed) or HMAC-SHA256. */
export const AuditScheme = { sha256: 1, hmacSha256: 2 } as const;
export type AuditScheme = (typeof AuditScheme)[keyof typeof AuditScheme];

/**
 * HMAC-SHA256 with the install's audit key over the same canonical encoding, the scheme included:
 * without the key nobody can recompute an entry they changed, nor pass one off as unkeyed.
 */
export function entryMac(key: Buffer, fields: HashedFields): string {
  return createHmac('sha256', key).update(canonicalJson({ ...fields, scheme: AuditScheme.hmacSha256 })).digest('hex');
}
