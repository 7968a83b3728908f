import type { Generated } from 'kysely';

/** Table shapes as Kysely sees them. Times are ISO-8601 strings so SQLite and PostgreSQL agree. */
export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
}

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  role: 'agent' | 'supervisor' | 'admin';
  password_hash: string;
  created_at: string;
  disabled: Generated<number>;
}

export interface SessionsTable {
  id: string;
  /** SHA-256 of the bearer token: a stolen database does not yield usable tokens. */
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface AuditLogTable {
  id: number;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  target: string | null;
  /** Canonical JSON of the details object. */
  details: string;
  prev_hash: string;
  hash: string;
}

/** One row: the newest entry, so that removing entries from the end is detected too. */
export interface AuditHeadTable {
  singleton: number;
  last_id: number;
  last_hash: string;
}
