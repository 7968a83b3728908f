import type { User } from '../../shared/domain/roles';

/** Who is on the other end of a connection: a signed-in staff user, or a customer of one interaction. */
export type ActorRole = User['role'] | 'customer';

export interface Principal {
  /** The user's id, or `customer:<interactionId>` for a customer. */
  id: string;
  role: ActorRole;
  displayName: string;
  sessionId: string;
  expiresAt: Date;
  /** Set for staff. */
  user?: User;
  /** Set for customers: the only interaction they may touch. */
  interactionId?: string;
}

/** Turns a hello token into a principal; each kind of credential registers one. */
export interface PrincipalResolver {
  /** Whether this resolver owns the token (by its prefix); the first that does decides. */
  accepts(token: string): boolean;
  resolve(token: string): Promise<Principal | null>;
}
