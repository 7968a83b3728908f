import type { Generated } from 'kysely';

/** Table shapes as Kysely sees them. Times are ISO-8601 strings so SQLite and PostgreSQL agree. */
export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  queues: QueuesTable;
  queue_members: QueueMembersTable;
  interactions: InteractionsTable;
  messages: MessagesTable;
  timeline: TimelineTable;
  offers: OffersTable;
  consults: ConsultsTable;
  recording_policy: RecordingPolicyTable;
  screen_recording_policy: ScreenRecordingPolicyTable;
  recordings: RecordingsTable;
  recording_chunks: RecordingChunksTable;
  recording_segments: RecordingSegmentsTable;
  recording_pauses: RecordingPausesTable;
  sync_counter: SyncCounterTable;
  sync_changes: SyncChangesTable;
  sync_access: SyncAccessTable;
  sync_mutations: SyncMutationsTable;
  sync_notes: SyncNotesTable;
  sync_late_wrapups: SyncLateWrapupsTable;
  sync_org_entities: SyncOrgEntitiesTable;
  monitoring_policy: MonitoringPolicyTable;
  redaction_policy: RedactionPolicyTable;
  sensitive_keywords: SensitiveKeywordsTable;
  canned_responses: CannedResponsesTable;
  scorecards: ScorecardsTable;
  evaluations: EvaluationsTable;
  child_protection_policy: ChildProtectionPolicyTable;
  queue_time_policy: QueueTimePolicyTable;
  retention_policy: RetentionPolicyTable;
  audit_anchor: AuditAnchorTable;
  consent_settings: ConsentSettingsTable;
  consent_records: ConsentRecordsTable;
  training_items: TrainingItemsTable;
  privacy_requests: PrivacyRequestsTable;
  privacy_notices: PrivacyNoticesTable;
  policy_acceptances: PolicyAcceptancesTable;
  notice_campaigns: NoticeCampaignsTable;
  notice_campaign_recipients: NoticeCampaignRecipientsTable;
  report_settings: ReportSettingsTable;
  report_queue_hours: ReportQueueHoursTable;
  report_agent_hours: ReportAgentHoursTable;
  report_rollup_dirty: ReportRollupDirtyTable;
}

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  role: 'agent' | 'supervisor' | 'admin' | 'privacy';
  password_hash: string;
  created_at: string;
  disabled: Generated<number>;
  /** Comma list of extra permissions (`sensitive`: opens interactions marked sensitive to a supervisor). */
  permissions: Generated<string>;
  /** 1 after an admin set the password (create, reset): the user must change it before anything else. */
  must_change_password: Generated<number>;
  /** When the user last changed their own password (null: never). */
  password_changed_at: Generated<string | null>;
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
  /** How `hash` was made: 1 SHA-256 (entries from before issue 17), 2 HMAC-SHA256 with the audit key. */
  scheme: Generated<number>;
}

/** One row: the newest entry, so that removing entries from the end is detected too. */
export interface AuditHeadTable {
  singleton: number;
  last_id: number;
  last_hash: string;
  /** The last entry written before the chain was keyed (migration 020); later entries must be scheme 2. */
  unkeyed_through: Generated<number>;
}

/**
 * One row once retention purged old entries: the last purged entry's id and hash, where verifying
 * the chain starts. An `audit.purged` entry later in the chain names the same id and hash.
 */
export interface AuditAnchorTable {
  singleton: number;
  through_id: number;
  through_hash: string;
  purged_at: string;
}

export interface QueuesTable {
  id: string;
  name: string;
  offer_timeout_ms: number;
  /** JSON array of disposition names. */
  dispositions: string;
  /** Chats one agent holds at once from this queue; null: the server's VEILDESK_CHAT_CAPACITY. */
  chat_capacity: Generated<number | null>;
}

export interface QueueMembersTable {
  queue_id: string;
  user_id: string;
}

export interface InteractionsTable {
  id: string;
  kind: 'chat' | 'call' | 'message';
  status: 'queued' | 'offered' | 'active' | 'wrapup' | 'closed' | 'abandoned';
  queue_id: string;
  customer_name: string | null;
  customer_email: string | null;
  /** The agent handling it now, or who handled it last. */
  agent_id: string | null;
  created_at: string;
  answered_at: string | null;
  ended_at: string | null;
  on_hold: Generated<number>;
  disposition: string | null;
  notes: string | null;
  wrapup_at: string | null;
  /** Username of the agent who submitted the wrap-up, or `system` when it timed out. */
  wrapup_by: string | null;
  wrapup_timed_out: Generated<number>;
  /** SHA-256 of the customer's `vc_` token. */
  customer_token_hash: string | null;
  customer_token_expires_at: string | null;
  /** Sensitive personal data (issue 15): the category it was marked with, when and by which user id; null when not marked. */
  sensitive_category: Generated<string | null>;
  sensitive_marked_at: Generated<string | null>;
  sensitive_marked_by: Generated<string | null>;
  /** 1 when the customer is under 13 (child-flag or the widget's age question): never recorded, purged at the end. */
  child_protected: Generated<number>;
}

export interface MessagesTable {
  id: string;
  interaction_id: string;
  seq: number;
  author: 'customer' | 'agent' | 'system';
  author_name: string;
  text: string;
  client_msg_id: string | null;
  at: string;
}

export interface TimelineTable {
  id: Generated<number>;
  interaction_id: string;
  type: string;
  at: string;
  /** Username of the agent involved; null for the customer or the system. */
  actor: string | null;
  actor_id: string | null;
  /** JSON object. */
  details: string;
}

/** One offer of an interaction to an agent (migration 023); ended_at and outcome stay null while it stands. */
export interface OffersTable {
  id: string;
  interaction_id: string;
  agent_id: string;
  /** The queue at offer time. */
  queue_id: string;
  offered_at: string;
  ended_at: string | null;
  /** OfferOutcome (shared/domain/offers.ts). */
  outcome: string | null;
}

/** One consult transfer of a call (migration 033); ended_at and outcome stay null while it is in progress. */
export interface ConsultsTable {
  id: string;
  interaction_id: string;
  from_user_id: string;
  to_user_id: string;
  /** 'ringing' | 'talking' (the state when it ended stays). */
  state: string;
  was_held: number;
  attempt: number;
  started_at: string;
  ended_at: string | null;
  /** 'completed' or ConsultView's reason (shared/api/ws-consult.ts). */
  outcome: string | null;
}

/** One row (singleton = 1) once an admin set the policy; until then the defaults apply. */
export interface RecordingPolicyTable {
  singleton: number;
  record_calls: number;
  agents_may_play_own: number;
  reminder_after_seconds: number;
  updated_at: string;
  updated_by: string | null;
}

export interface RecordingsTable {
  id: string;
  interaction_id: string;
  agent_id: string;
  agent_name: string;
  started_at: string;
  ended_at: string | null;
  mime_type: string;
  status: 'recording' | 'closed';
  /** Size of the assembled file, once assembled. */
  assembled_bytes: number | null;
  /** 1 when a server start closed it (the server that recorded it had stopped). */
  recovered: number;
  /** single | joined | unjoined (see RecordingAssembly), null before the first assembly. */
  assembly: string | null;
  assembly_note: string | null;
  /** When the server closed it: the grace window for late chunks starts here (null: closed before migration 019). */
  closed_at: string | null;
  /** When the agent's app announced each segment's last seq: no chunk beyond them is taken after it. */
  announced_at: string | null;
  /** 'audio' (the call) or 'screen' (the agent's screen, migration 027); absent means 'audio'. */
  kind?: 'audio' | 'screen';
  /** Where the media starts, ms after started_at, as the agent's app reported it with its first chunk (migration 030); null until then. */
  media_offset_ms?: number | null;
}

/** The org's screen recording policy (one row; see shared/api/screen-recordings.ts). */
export interface ScreenRecordingPolicyTable {
  singleton: number;
  mode: string;
  sample_percent: number;
  /** JSON array of roles. */
  viewer_roles: string;
  fps: number;
  updated_at: string;
  updated_by: string | null;
}

/** Chunks by (recording, segment, seq): a segment is one MediaRecorder run of the agent's app. */
export interface RecordingChunksTable {
  recording_id: string;
  segment: number;
  seq: number;
  bytes: number;
  received_at: string;
}

/** The last seq the agent's app announced for each segment of a recording. */
export interface RecordingSegmentsTable {
  recording_id: string;
  segment: number;
  last_seq: number;
}

/** Secure-pause intervals of an interaction (they outlive a transfer). */
export interface RecordingPausesTable {
  id: Generated<number>;
  interaction_id: string;
  started_at: string;
  ended_at: string | null;
  actor_id: string;
  actor_name: string;
  /** Username of who resumed, or `system` when the call ended paused. */
  ended_by: string | null;
}

export interface MonitoringPolicyTable {
  singleton: number;
  show_notice: number;
  pause_stops_monitoring: number;
  /** Comma-separated roles allowed to monitor (supervisor, admin); empty turns monitoring off. */
  roles_allowed: string;
  /** Comma-separated roles allowed to whisper to the agent (029). */
  whisper_roles: string;
  /** Comma-separated roles allowed to barge into the call (029). */
  barge_roles: string;
  updated_at: string;
  updated_by: string | null;
}

// ---- sync (006, docs/sync.md) ----

/** One row (singleton = 1): the last change-log position handed out. */
export interface SyncCounterTable {
  singleton: number;
  last_seq: number;
}

/** The change log: one row per entity, moved to a fresh seq on each change (or access grant). */
export interface SyncChangesTable {
  seq: number;
  kind: 'interaction' | 'message' | 'contact' | 'note' | 'wrapup' | 'queue' | 'setting';
  entity_id: string;
  /** Null for org-wide entities (queues, settings), which every staff member receives. */
  interaction_id: string | null;
  op: 'upsert' | 'tombstone';
  /** The seq of the last data change (a grant moves seq, not version). */
  version: number;
  reason: 'deleted' | 'erased' | null;
  at: string;
}

/** Agents who may sync an interaction: who handles it now or answered it at some point. */
export interface SyncAccessTable {
  user_id: string;
  interaction_id: string;
  granted_at: string;
  /** The interaction's created_at (newest-first lists from the index alone). */
  created_at: string;
}

/** Each pushed mutation once per user, with its first answer (JSON SyncMutationResult). */
export interface SyncMutationsTable {
  user_id: string;
  mutation_id: string;
  type: string;
  status: 'applied' | 'conflict' | 'rejected';
  result: string;
  at: string;
}

export interface SyncNotesTable {
  id: string;
  interaction_id: string;
  author_id: string;
  author_name: string;
  text: string;
  created_at: string;
  updated_at: string;
  version: number;
  /** The version the create produced: an edit with baseVersion 0 matches it. */
  created_version: number;
  conflict_reason: string | null;
  conflict_of: string | null;
}

/** Interactions whose agent's wrap-up arrived after the timeout closed them. */
export interface SyncLateWrapupsTable {
  interaction_id: string;
  at: string;
}

/** Queues and settings as last published to the change log (JSON), to publish only real changes. */
export interface SyncOrgEntitiesTable {
  kind: 'queue' | 'setting';
  id: string;
  data: string;
}

/** The org's redaction policy (one row, JSON of shared/api/redaction.ts's RedactionPolicyInput). */
export interface RedactionPolicyTable {
  singleton: number;
  policy: string;
  updated_at: string;
  updated_by: string | null;
}

/** The org's sensitive keyword rules (one row, JSON of shared/api/sensitive-keywords.ts's SensitiveKeywordRules). */
export interface SensitiveKeywordsTable {
  singleton: number;
  rules: string;
  updated_at: string;
  updated_by: string | null;
}

export interface QueueTimePolicyTable {
  singleton: number;
  /** Seconds a customer waits before the widget offers to leave a message. */
  max_queue_seconds: number;
  updated_at: string;
  updated_by: string | null;
}

export interface ChildProtectionPolicyTable {
  singleton: number;
  /** 1: the widget asks for a year of birth. */
  ask_birth_year: number;
  updated_at: string;
  updated_by: string | null;
}

/** The org's retention policy (one row, JSON of shared/api/retention.ts's RetentionPolicy). */
export interface RetentionPolicyTable {
  singleton: number;
  policy: string;
  updated_at: string;
  updated_by: string | null;
}

/** The org's privacy notice and consent purposes (one row; purposes as JSON of shared/api/consent.ts's ConsentPurpose[]). */
export interface ConsentSettingsTable {
  singleton: number;
  notice_version: string;
  notice_url: string;
  purposes: string;
  updated_at: string;
  updated_by: string | null;
}

/** One purpose a customer ticked in the widget; withdrawn in place (`withdrawn_by`: 'customer' or an admin's user id). */
export interface ConsentRecordsTable {
  id: string;
  interaction_id: string;
  purpose_id: string;
  purpose_label: string;
  notice_version: string;
  given_at: string;
  channel: 'widget';
  withdrawn_at: string | null;
  withdrawn_by: string | null;
}

/** A reference to an interaction's transcript or recording in the training library. */
export interface TrainingItemsTable {
  id: string;
  interaction_id: string;
  what: 'transcript' | 'recording';
  added_by: string;
  added_at: string;
}

/** A privacy request (issue 14): export, rectify or erase, with what it found and did. */
export interface PrivacyRequestsTable {
  id: string;
  type: 'export' | 'rectify' | 'erase';
  status: 'received' | 'searching' | 'working' | 'completed' | 'failed';
  requested_by_id: string;
  requested_by_name: string;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  /** JSON { subject, replacements? } while the request runs; null once it ended. */
  subject: string | null;
  /** JSON arrays: digests of the identifiers, the interactions found, per-store results. */
  subject_digests: string;
  interaction_ids: string;
  stores: string;
  progress_done: number;
  progress_total: number;
  took_ms: number | null;
  error: string | null;
}

/** A published privacy notice version (immutable: triggers refuse UPDATE and DELETE). */
export interface PrivacyNoticesTable {
  id: string;
  version: number;
  text: string;
  effective_at: string;
  /** 1 when staff must accept it again. */
  material: number;
  published_at: string;
  published_by: string | null;
}

/** A staff user's acceptance of one notice version (a trigger refuses UPDATE). */
export interface PolicyAcceptancesTable {
  id: string;
  user_id: string;
  notice_id: string;
  accepted_at: string;
}

/** 014: a notice of a material change sent by e-mail to customers on record. */
export interface NoticeCampaignsTable {
  id: string;
  subject: string;
  body: string;
  status: 'running' | 'completed';
  /** The admin's username. */
  created_by: string;
  created_at: string;
  completed_at: string | null;
}

/** 014: one distinct address of a campaign. */
export interface NoticeCampaignRecipientsTable {
  campaign_id: string;
  seq: number;
  /** The newest interaction the address was taken from: an erase or the contacts retention reaches the row through it. */
  interaction_id: string;
  /** SHA-256 (hex) of the lower-cased address; cleared by an erase. */
  email_hash: string | null;
  /** The address, only while pending. */
  email: string | null;
  state: 'pending' | 'sent' | 'failed' | 'skipped';
  attempts: number;
  next_attempt_at: string;
  /** A reason code (`smtp_550`, `ECONNECTION`, `erased`…), never a server's reply text. */
  last_error: string | null;
  sent_at: string | null;
}

/** The org's statistics settings (one row once an admin set them; until then k = 10). */
export interface ReportSettingsTable {
  singleton: number;
  /** Anonymous statistics suppress every cell with fewer interactions than this (at least 5). */
  anonymous_k: number;
  /** 1: anonymous statistics get differential-privacy noise (migration 021; off by default). */
  noise_enabled: Generated<number>;
  /** The noise's privacy budget ε per request (to the thousandth). */
  noise_epsilon: Generated<number>;
  updated_at: string;
  updated_by: string | null;
}

/** Canned responses: the org's (owner_id null, admins write them) and each staff member's own. */
export interface CannedResponsesTable {
  id: string;
  owner_id: string | null;
  title: string;
  text: string;
  created_at: string;
  updated_at: string;
}

/** Reports' rollup (migration 021): one group in one UTC hour, flagged (sensitive or child-protected) or not. Derived from interactions. */
interface ReportHourFigures {
  /** '2026-03-02T10': the first 13 characters of the interactions' created_at. */
  hour: string;
  flagged: number;
  interactions: number;
  /** Per agent: distinct interactions offered to the agent (per queue 0). */
  offered: number;
  answered: number;
  abandoned: number;
  sensitive: number;
  transfers: number;
  secure_pauses: number;
  /** JSON { disposition: count }. */
  dispositions: string;
  /** JSON ascending arrays of whole milliseconds: every measured value, for exact percentiles. */
  wait_ms: string;
  handle_ms: string;
}

export interface ReportQueueHoursTable extends ReportHourFigures {
  queue_id: string;
}

export interface ReportAgentHoursTable extends ReportHourFigures {
  agent_id: string;
}

/** An hour whose rollup must be recomputed (written by triggers; append-only). */
export interface ReportRollupDirtyTable {
  id: Generated<number>;
  hour: string;
}

/** Scorecards (issue 20): one row per version; questions as JSON. */
export interface ScorecardsTable {
  id: string;
  family_id: string;
  version: number;
  name: string;
  questions: string;
  superseded_at: string | null;
  archived_at: string | null;
  created_by: string | null;
  created_at: string;
}

/** A supervisor's evaluation of an ended interaction against one scorecard version; answers as JSON. */
export interface EvaluationsTable {
  id: string;
  interaction_id: string;
  scorecard_id: string;
  agent_id: string;
  evaluator_id: string;
  answers: string;
  score: number;
  notes: string | null;
  agent_comment: string | null;
  agent_comment_at: string | null;
  created_at: string;
  updated_at: string;
}
