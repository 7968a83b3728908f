import { z } from 'zod';
import { IceServer } from '../domain/interactions';
import { Presence, Role, User } from '../domain/roles';
import { Password, Username } from '../domain/usernames';

export const HealthResponse = z.object({ status: z.literal('ok'), version: z.string() });
export type HealthResponse = z.infer<typeof HealthResponse>;

export const LoginRequest = z.strictObject({ username: Username, password: Password });
export type LoginRequest = z.infer<typeof LoginRequest>;

/** mustChangePassword: an admin set the password; only /api/auth/password, /api/me and sign-out answer until it is changed. */
export const LoginResponse = z.object({ token: z.string(), user: User, expiresAt: z.string(), mustChangePassword: z.boolean().optional() });
export type LoginResponse = z.infer<typeof LoginResponse>;

export const LogoutResponse = z.object({ ok: z.literal(true) });

export const MeResponse = z.object({ user: User, expiresAt: z.string(), mustChangePassword: z.boolean().optional() });
export type MeResponse = z.infer<typeof MeResponse>;

/** Public, unauthenticated client configuration. */
export const ClientConfig = z.object({
  version: z.string(),
  protocolVersion: z.number().int(),
  heartbeatMs: z.number().int(),
  /**
   * STUN servers only, never a credential (kept for apps from before issue 17). Calls and shares take
   * their servers, TURN credentials included, from GET /api/ice-servers.
   */
  iceServers: z.array(IceServer),
  /** How screen shares travel on this server: through the SFU (mediasoup) or peer to peer (also when absent). */
  shareTransport: z.enum(['sfu', 'p2p']).optional(),
});
export type ClientConfig = z.infer<typeof ClientConfig>;

/**
 * GET /api/ice-servers (signed-in staff, or a customer with the conversation's `vc_` token): the
 * STUN servers and, when the server has a TURN server, short-lived TURN credentials (TURN REST API:
 * username `<expiry-unix>:<principal-id>`, credential base64(HMAC-SHA1(secret, username))).
 */
export const IceServersResponse = z.object({
  iceServers: z.array(IceServer),
  /** When the TURN credential stops working (ISO time); null when there is none. Fetch again before then. */
  expiresAt: z.string().nullable(),
});
export type IceServersResponse = z.infer<typeof IceServersResponse>;

export const AuditEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  target: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditPageQuery = z.strictObject({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  action: z.string().max(100).optional(),
});
export type AuditPageQuery = z.infer<typeof AuditPageQuery>;

export const AuditPage = z.object({ entries: z.array(AuditEntry), nextAfter: z.number().int().nullable() });
export type AuditPage = z.infer<typeof AuditPage>;

export const AuditVerifyResponse = z.union([
  z.object({ intact: z.literal(true), entries: z.number().int() }),
  z.object({ intact: z.literal(false), entries: z.number().int(), firstBadId: z.number().int() }),
]);
export type AuditVerifyResponse = z.infer<typeof AuditVerifyResponse>;

export const RosterEntry = z.object({
  userId: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: Role,
  presence: Presence,
  /** ISO time the current presence began. */
  since: z.string(),
});
export type RosterEntry = z.infer<typeof RosterEntry>;
