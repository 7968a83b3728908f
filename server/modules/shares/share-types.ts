import type { ServerMessage } from '../../../shared/api/ws';
import type { ShareEndReason, ShareRect, ShareSource } from '../../../shared/api/ws-shares';
import type { User } from '../../../shared/domain/roles';
import type { Hub } from '../../kernel/hub';
import type { AuditLog } from '../audit/audit-log';

/** One connection as the registry sees it: where to send, and whether it is still there. */
export interface ShareEndpoint {
  send(message: ServerMessage): void;
  isOpen(): boolean;
  /** The sign-in session the connection belongs to. */
  readonly sessionId: string;
}

/** The org's staff users, from whom a sharer picks viewers. */
export interface StaffDirectory {
  staff(): Promise<User[]>;
}

/** The SFU's side of a share (server/modules/media/share-rooms.ts): media ends when watching ends. */
export interface ShareMediaHooks {
  /** A viewer stopped watching (revoked, left, another window took over: then `endpoint` is the old one). */
  watcherGone(shareId: string, userId: string, reason: ShareEndReason, endpoint?: ShareEndpoint): void;
  shareEnded(shareId: string, reason: ShareEndReason): void;
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface ShareRegistryDeps {
  audit: Pick<AuditLog, 'append'>;
  hub: Pick<Hub, 'sendTo'>;
  directory: StaffDirectory;
  /** How long a share outlives its sharer's lost connection (a reconnect within it resumes). */
  graceMs: number;
  now?: () => Date;
  newId?: () => string;
  timers?: Timers;
  /** A refused signal or join is audited at most once per user, share and reason in this window. */
  refusalAuditWindowMs?: number;
  media?: ShareMediaHooks;
}

export interface ShareStartInput {
  source: ShareSource;
  region: ShareRect;
  masks: ShareRect[];
  viewers: string[];
}

export interface ShareUpdateInput {
  region?: ShareRect | undefined;
  masks?: ShareRect[] | undefined;
  blanked?: boolean | undefined;
}

/** A listed viewer watching now, from one connection. */
export interface Watcher {
  user: User;
  endpoint: ShareEndpoint;
  since: Date;
}

/** One live share: its sharer's connection, what it shows, who may and who does watch. */
export interface Share {
  id: string;
  sharer: User;
  sessionId: string;
  /** The connection holding the capture; null while the sharer is disconnected (grace period). */
  endpoint: ShareEndpoint | null;
  startedAt: Date;
  source: ShareSource;
  region: ShareRect;
  masks: ShareRect[];
  blanked: boolean;
  viewers: Map<string, User>;
  watchers: Map<string, Watcher>;
  graceTimer?: unknown;
}
