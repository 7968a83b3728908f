import type { z } from 'zod';
import type * as ChildProtection from './child-protection';
import type * as Canned from './canned-responses';
import type * as QueueTime from './queue-time';
import type * as Consent from './consent';
import type * as Evaluations from './evaluations';
import type * as Http from './http';
import type * as Interactions from './interactions-http';
import type * as Notices from './notices';
import type * as Offers from './offers';
import type * as NoticeCampaigns from './notice-campaigns';
import type * as Privacy from './privacy';
import type * as Notice from './privacy-notice';
import type * as Recordings from './recordings';
import type * as ScreenRecordings from './screen-recordings';
import type * as Reports from './reports';
import type * as Retention from './retention';
import type * as Sync from './sync';
import type * as Sensitive from './sensitive';
import type * as SensitiveKeywords from './sensitive-keywords';
import type * as Users from './users';
import type * as AdminQueues from './admin-queues';
import type { InteractionDetail, Queue } from '../domain/interactions';
import type { MonitoringPolicy } from './ws-monitoring';
import type { RedactionPolicy } from '../redaction/policy';

/**
 * Every HTTP endpoint of the server: method and path, once. This file holds no schema at run time
 * (zod is imported for types only), so the widget can import it without bundling zod; the schemas
 * keyed to these routes are in endpoints.ts. The wire types ride along at compile time.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT';

/** The `:name` segments of a path, e.g. 'id' for '/api/recordings/:id/audio'. */
export type PathParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | PathParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

/** What a route carries besides the path: query, body and answer types (compile time only). */
export interface RouteTypes {
  query?: unknown;
  body?: unknown;
  /** The JSON answer, or Bytes. */
  response: unknown;
}

/** Marks a body or an answer that is raw bytes (audio), not JSON. */
export interface Bytes {
  readonly bytes: never;
}

export interface Route<P extends string = string, T extends RouteTypes = RouteTypes> {
  readonly method: HttpMethod;
  readonly path: P;
  /** Never set: it only carries the wire types for the typed client and the server helper. */
  readonly types?: T;
}

function route<T extends RouteTypes>() {
  return <P extends string>(method: HttpMethod, path: P): Route<P, T> => ({ method, path });
}

/** A JSON schema's types: what the sender may write (input) and what the reader gets (output). */
type In<S extends z.ZodType> = z.input<S>;
type Out<S extends z.ZodType> = z.output<S>;

export const routes = {
  // ---- public
  health: route<{ response: Out<typeof Http.HealthResponse> }>()('GET', '/api/health'),
  config: route<{ response: Out<typeof Http.ClientConfig> }>()('GET', '/api/config'),
  /** Signed-in staff (`vd_`) or a customer (`vc_`): STUN servers and short-lived TURN credentials. */
  iceServers: route<{ response: Out<typeof Http.IceServersResponse> }>()('GET', '/api/ice-servers'),

  // ---- auth
  login: route<{ body: In<typeof Http.LoginRequest>; response: Out<typeof Http.LoginResponse> }>()('POST', '/api/auth/login'),
  logout: route<{ response: Out<typeof Http.LogoutResponse> }>()('POST', '/api/auth/logout'),
  me: route<{ response: Out<typeof Http.MeResponse> }>()('GET', '/api/me'),

  // ---- customer widget (no account)
  widgetQueues: route<{ response: Out<typeof Interactions.WidgetQueuesResponse> }>()('GET', '/api/widget/queues'),
  widgetStart: route<{ body: In<typeof Interactions.StartInteractionRequest>; response: Out<typeof Interactions.StartInteractionResponse> }>()('POST', '/api/widget/interactions'),
  widgetLeaveMessage: route<{ body: In<typeof Interactions.LeaveMessageRequest>; response: Out<typeof Interactions.LeaveMessageResponse> }>()('POST', '/api/widget/messages'),
  widgetSettings: route<{ response: Out<typeof ChildProtection.WidgetSettings> }>()('GET', '/api/widget/settings'),
  widgetConsentSettings: route<{ response: Out<typeof Consent.WidgetConsentSettings> }>()('GET', '/api/widget/consent-settings'),
  /** What the widget tells a customer applies before a chat or call (recording, listening, pause, retention, the notice). */
  widgetNotices: route<{ response: Out<typeof Notices.WidgetNotices> }>()('GET', '/api/widget/notices'),
  /** `Authorization: Bearer vc_…` (the customer token of the conversation). */
  widgetConsents: route<{ response: Out<typeof Consent.ConsentRecordsResponse> }>()('GET', '/api/widget/consents'),
  /** `Authorization: Bearer vc_…`; during the conversation or after it, while the token is valid. */
  widgetWithdrawConsent: route<{ response: Out<typeof Consent.WithdrawConsentResponse> }>()('POST', '/api/widget/consents/:purposeId/withdraw'),

  // ---- staff history
  queues: route<{ response: Out<typeof Interactions.QueuesResponse> }>()('GET', '/api/queues'),
  interactions: route<{ query: In<typeof Interactions.InteractionsQuery>; response: Out<typeof Interactions.InteractionsPage> }>()('GET', '/api/interactions'),
  interaction: route<{ response: InteractionDetail }>()('GET', '/api/interactions/:id'),
  offers: route<{ query: In<typeof Offers.OffersQuery>; response: Out<typeof Offers.OffersPage> }>()('GET', '/api/offers'),
  transferTargets: route<{ response: Out<typeof Interactions.TransferTargetsResponse> }>()('GET', '/api/interactions/:id/transfer-targets'),
  markSensitive: route<{ body: In<typeof Sensitive.MarkSensitiveRequest>; response: Out<typeof Sensitive.MarkSensitiveResponse> }>()('POST', '/api/interactions/:id/sensitive'),

  // ---- consent (issue 15)
  consentSettings: route<{ response: Out<typeof Consent.ConsentSettings> }>()('GET', '/api/admin/consent-settings'),
  saveConsentSettings: route<{ body: In<typeof Consent.ConsentSettings>; response: Out<typeof Consent.ConsentSettings> }>()('PUT', '/api/admin/consent-settings'),
  interactionConsents: route<{ response: Out<typeof Consent.ConsentRecordsResponse> }>()('GET', '/api/interactions/:id/consents'),
  withdrawConsent: route<{ response: Out<typeof Consent.WithdrawConsentResponse> }>()('POST', '/api/consents/:id/withdraw'),

  // ---- privacy notice versions (issue 16)
  /** Public (rate-limited per address): the version in force. */
  currentPrivacyNotice: route<{ response: Out<typeof Notice.CurrentPrivacyNoticeResponse> }>()('GET', '/api/privacy-notice'),
  myPrivacyNotice: route<{ response: Out<typeof Notice.MyPrivacyNoticeResponse> }>()('GET', '/api/privacy-notice/mine'),
  acceptPrivacyNotice: route<{ body: In<typeof Notice.AcceptPrivacyNoticeRequest>; response: Out<typeof Notice.AcceptPrivacyNoticeResponse> }>()('POST', '/api/privacy-notice/accept'),
  privacyNotices: route<{ response: Out<typeof Notice.AdminPrivacyNoticesResponse> }>()('GET', '/api/admin/privacy-notices'),
  publishPrivacyNotice: route<{ body: In<typeof Notice.PublishPrivacyNoticeRequest>; response: Out<typeof Notice.PrivacyNotice> }>()('POST', '/api/admin/privacy-notices'),

  // ---- training library (supervisors, admins)
  trainingItems: route<{ response: Out<typeof Consent.TrainingItemsResponse> }>()('GET', '/api/training'),
  addTrainingItem: route<{ body: In<typeof Consent.AddTrainingItemRequest>; response: Out<typeof Consent.TrainingItem> }>()('POST', '/api/training'),
  trainingItem: route<{ response: Out<typeof Consent.TrainingItemDetail> }>()('GET', '/api/training/:id'),

  // ---- staff accounts (admins): role, disabled, sessions (issue 17)
  adminUsers: route<{ response: Out<typeof Users.AdminUsersResponse> }>()('GET', '/api/admin/users'),
  updateUser: route<{ body: In<typeof Users.UpdateUserRequest>; response: Out<typeof Users.AdminUser> }>()('PUT', '/api/admin/users/:id'),
  revokeUserSessions: route<{ response: Out<typeof Users.RevokeSessionsResponse> }>()('POST', '/api/admin/users/:id/revoke-sessions'),
  // issue 19: the Admin view's Users and Queues screens; a user's own password
  createUser: route<{ body: In<typeof Users.CreateUserRequest>; response: Out<typeof Users.AdminUser> }>()('POST', '/api/admin/users'),
  resetUserPassword: route<{ body: In<typeof Users.ResetPasswordRequest>; response: Out<typeof Users.AdminUser> }>()('POST', '/api/admin/users/:id/reset-password'),
  changePassword: route<{ body: In<typeof Users.ChangePasswordRequest>; response: Out<typeof Users.ChangePasswordResponse> }>()('POST', '/api/auth/password'),
  adminQueues: route<{ response: Out<typeof AdminQueues.AdminQueuesResponse> }>()('GET', '/api/admin/queues'),
  createQueue: route<{ body: In<typeof AdminQueues.CreateQueueRequest>; response: Queue }>()('POST', '/api/admin/queues'),
  updateQueue: route<{ body: In<typeof AdminQueues.UpdateQueueRequest>; response: Queue }>()('PUT', '/api/admin/queues/:id'),

  // ---- audit (admins)
  auditVerify: route<{ response: Out<typeof Http.AuditVerifyResponse> }>()('GET', '/api/audit/verify'),
  auditPage: route<{ query: In<typeof Http.AuditPageQuery>; response: Out<typeof Http.AuditPage> }>()('GET', '/api/audit'),

  // ---- recordings
  recordingPolicy: route<{ response: Out<typeof Recordings.RecordingPolicy> }>()('GET', '/api/admin/recording-policy'),
  saveRecordingPolicy: route<{ body: In<typeof Recordings.RecordingPolicy>; response: Out<typeof Recordings.RecordingPolicy> }>()('PUT', '/api/admin/recording-policy'),
  screenRecordingPolicy: route<{ response: Out<typeof ScreenRecordings.ScreenRecordingPolicy> }>()('GET', '/api/admin/screen-recording-policy'),
  saveScreenRecordingPolicy: route<{ body: In<typeof ScreenRecordings.ScreenRecordingPolicy>; response: Out<typeof ScreenRecordings.ScreenRecordingPolicy> }>()('PUT', '/api/admin/screen-recording-policy'),
  recordings: route<{ query: In<typeof Recordings.RecordingsQuery>; response: Out<typeof Recordings.RecordingsResponse> }>()('GET', '/api/recordings'),
  recording: route<{ response: Out<typeof Recordings.Recording> }>()('GET', '/api/recordings/:id'),
  /** audio/webm bytes, not JSON (`download=1` asks for an attachment, audited as a download). */
  recordingAudio: route<{ query: In<typeof Recordings.RecordingAudioQuery>; response: Bytes }>()('GET', '/api/recordings/:id/audio'),
  closeRecording: route<{ body: In<typeof Recordings.CloseRecordingRequest>; response: Out<typeof Recordings.Recording> }>()('POST', '/api/recordings/:id/close'),
  /** The body is the chunk's bytes (audio/webm or application/octet-stream), not JSON. */
  recordingChunk: route<{ body: Bytes; query: In<typeof Recordings.RecordingChunkQuery>; response: Out<typeof Recordings.ChunkUploadResponse> }>()('POST', '/api/recordings/:recordingId/segments/:segment/chunks/:seq'),
  /** Apps from before segments: their chunks are segment 0. Bytes as for recordingChunk. */
  recordingChunkUnsegmented: route<{ body: Bytes; response: Out<typeof Recordings.ChunkUploadResponse> }>()('POST', '/api/recordings/:recordingId/chunks/:seq'),

  // ---- monitoring (admins)
  monitoringPolicy: route<{ response: MonitoringPolicy }>()('GET', '/api/admin/monitoring-policy'),
  saveMonitoringPolicy: route<{ body: MonitoringPolicy; response: MonitoringPolicy }>()('PUT', '/api/admin/monitoring-policy'),

  // ---- child protection (admins)
  childProtectionPolicy: route<{ response: Out<typeof ChildProtection.ChildProtectionPolicy> }>()('GET', '/api/admin/child-protection-policy'),
  saveChildProtectionPolicy: route<{ body: In<typeof ChildProtection.ChildProtectionPolicy>; response: Out<typeof ChildProtection.ChildProtectionPolicy> }>()('PUT', '/api/admin/child-protection-policy'),
  /** How long a customer waits before the widget offers to leave a message (admins). */
  queueTimePolicy: route<{ response: Out<typeof QueueTime.QueueTimePolicy> }>()('GET', '/api/admin/queue-time-policy'),
  saveQueueTimePolicy: route<{ body: In<typeof QueueTime.QueueTimePolicy>; response: Out<typeof QueueTime.QueueTimePolicy> }>()('PUT', '/api/admin/queue-time-policy'),

  // ---- redaction (admins)
  redactionPolicy: route<{ response: RedactionPolicy }>()('GET', '/api/admin/redaction-policy'),
  saveRedactionPolicy: route<{ body: RedactionPolicy; response: RedactionPolicy }>()('PUT', '/api/admin/redaction-policy'),

  // ---- sensitive keyword rules (admins): suggest the sensitive mark to agents
  sensitiveKeywords: route<{ response: Out<typeof SensitiveKeywords.SensitiveKeywordRules> }>()('GET', '/api/admin/sensitive-keywords'),
  saveSensitiveKeywords: route<{ body: In<typeof SensitiveKeywords.SensitiveKeywordRules>; response: Out<typeof SensitiveKeywords.SensitiveKeywordRules> }>()('PUT', '/api/admin/sensitive-keywords'),

  // ---- canned responses (staff: the org's and their own; admins write the org's)
  cannedResponses: route<{ response: Out<typeof Canned.CannedResponsesResponse> }>()('GET', '/api/canned-responses'),
  createCannedResponse: route<{ body: In<typeof Canned.CreateCannedResponse>; response: Out<typeof Canned.CannedResponse> }>()('POST', '/api/canned-responses'),
  updateCannedResponse: route<{ body: In<typeof Canned.CannedResponseInput>; response: Out<typeof Canned.CannedResponse> }>()('PUT', '/api/canned-responses/:id'),
  deleteCannedResponse: route<{ response: Out<typeof Canned.DeleteCannedResponseResponse> }>()('POST', '/api/canned-responses/:id/delete'),

  // ---- privacy requests (admins and the privacy role)
  privacySubjects: route<{ query: In<typeof Privacy.SubjectSearchQuery>; response: Out<typeof Privacy.SubjectSearchResponse> }>()('GET', '/api/privacy/subjects'),
  createPrivacyRequest: route<{ body: In<typeof Privacy.CreatePrivacyRequest>; response: Out<typeof Privacy.CreatePrivacyRequestResponse> }>()('POST', '/api/privacy/requests'),
  privacyRequests: route<{ response: Out<typeof Privacy.PrivacyRequestsResponse> }>()('GET', '/api/privacy/requests'),
  privacyRequest: route<{ response: Out<typeof Privacy.PrivacyRequest> }>()('GET', '/api/privacy/requests/:id'),
  /** application/zip bytes, streamed. */
  privacyExport: route<{ response: Bytes }>()('GET', '/api/privacy/requests/:id/export'),
  privacyReceipt: route<{ response: Out<typeof Privacy.SignedReceipt> }>()('GET', '/api/privacy/requests/:id/receipt'),

  // ---- retention (admins)
  retentionPolicy: route<{ response: Out<typeof Retention.RetentionPolicy> }>()('GET', '/api/admin/retention-policy'),
  saveRetentionPolicy: route<{ body: In<typeof Retention.RetentionPolicy>; response: Out<typeof Retention.RetentionPolicy> }>()('PUT', '/api/admin/retention-policy'),
  previewRetention: route<{ body: In<typeof Retention.RetentionPolicy>; response: Out<typeof Retention.RetentionPreview> }>()('POST', '/api/admin/retention-policy/preview'),

  // ---- notices of a material change by e-mail (admins)
  noticeCampaigns: route<{ response: Out<typeof NoticeCampaigns.NoticeCampaignsResponse> }>()('GET', '/api/admin/notice-campaigns'),
  /** 202: the campaign runs in the background; poll GET …/:id for its counts. */
  createNoticeCampaign: route<{ body: In<typeof NoticeCampaigns.CreateNoticeCampaign>; response: Out<typeof NoticeCampaigns.NoticeCampaign> }>()('POST', '/api/admin/notice-campaigns'),
  noticeCampaign: route<{ response: Out<typeof NoticeCampaigns.NoticeCampaign> }>()('GET', '/api/admin/notice-campaigns/:id'),

  // ---- evaluations (issue 20): scorecards (admins write; supervisors and admins read), evaluations
  scorecards: route<{ query: In<typeof Evaluations.ScorecardsQuery>; response: Out<typeof Evaluations.ScorecardsResponse> }>()('GET', '/api/scorecards'),
  createScorecard: route<{ body: In<typeof Evaluations.ScorecardInput>; response: Out<typeof Evaluations.Scorecard> }>()('POST', '/api/scorecards'),
  /** In use: a new version (a new id); otherwise changed in place. */
  updateScorecard: route<{ body: In<typeof Evaluations.ScorecardInput>; response: Out<typeof Evaluations.Scorecard> }>()('PUT', '/api/scorecards/:id'),
  archiveScorecard: route<{ response: Out<typeof Evaluations.Scorecard> }>()('POST', '/api/scorecards/:id/archive'),
  createEvaluation: route<{ body: In<typeof Evaluations.CreateEvaluation>; response: Out<typeof Evaluations.Evaluation> }>()('POST', '/api/evaluations'),
  /** The caller's own evaluations (as the evaluated agent). */
  myEvaluations: route<{ response: Out<typeof Evaluations.EvaluationsResponse> }>()('GET', '/api/evaluations/mine'),
  /** The caller's own evaluations as a JSON attachment (their export). */
  exportMyEvaluations: route<{ response: Out<typeof Evaluations.EvaluationsExport> }>()('GET', '/api/evaluations/export'),
  evaluationReport: route<{ query: In<typeof Evaluations.EvaluationReportQuery>; response: Out<typeof Evaluations.EvaluationReport> }>()('GET', '/api/evaluations/report'),
  evaluation: route<{ response: Out<typeof Evaluations.Evaluation> }>()('GET', '/api/evaluations/:id'),
  updateEvaluation: route<{ body: In<typeof Evaluations.UpdateEvaluation>; response: Out<typeof Evaluations.Evaluation> }>()('PUT', '/api/evaluations/:id'),
  commentEvaluation: route<{ body: In<typeof Evaluations.EvaluationCommentInput>; response: Out<typeof Evaluations.Evaluation> }>()('POST', '/api/evaluations/:id/comment'),
  interactionEvaluations: route<{ response: Out<typeof Evaluations.EvaluationsResponse> }>()('GET', '/api/interactions/:id/evaluations'),

  // ---- reports (supervisors, admins; issue 16)
  reports: route<{ query: In<typeof Reports.ReportQuery>; response: Out<typeof Reports.ReportResponse> }>()('GET', '/api/reports'),
  /** text/csv bytes (an attachment), the same rows as /api/reports. */
  reportsCsv: route<{ query: In<typeof Reports.ReportQuery>; response: Bytes }>()('GET', '/api/reports.csv'),
  anonymousStats: route<{ query: In<typeof Reports.AnonymousStatsQuery>; response: Out<typeof Reports.AnonymousStatsResponse> }>()('GET', '/api/reports/anonymous'),
  reportSettings: route<{ response: Out<typeof Reports.ReportSettings> }>()('GET', '/api/admin/report-settings'),
  saveReportSettings: route<{ body: In<typeof Reports.ReportSettings>; response: Out<typeof Reports.ReportSettings> }>()('PUT', '/api/admin/report-settings'),
  reportNoise: route<{ response: Out<typeof Reports.AnonymousNoiseSettings> }>()('GET', '/api/admin/report-noise'),
  saveReportNoise: route<{ body: In<typeof Reports.AnonymousNoiseSettings>; response: Out<typeof Reports.AnonymousNoiseSettings> }>()('PUT', '/api/admin/report-noise'),

  // ---- sync
  syncHead: route<{ query: In<typeof Sync.SyncHeadQuery>; response: Out<typeof Sync.SyncHeadResponse> }>()('GET', '/api/sync/head'),
  syncPull: route<{ query: In<typeof Sync.SyncPullQuery>; response: Out<typeof Sync.SyncPullResponse> }>()('GET', '/api/sync/pull'),
  syncInteraction: route<{ response: Out<typeof Sync.SyncInteractionResponse> }>()('GET', '/api/sync/interactions/:id'),
  syncPush: route<{ body: In<typeof Sync.SyncPushRequest>; response: Out<typeof Sync.SyncPushResponse> }>()('POST', '/api/sync/push'),
  eraseInteraction: route<{ response: Out<typeof Sync.EraseInteractionResponse> }>()('POST', '/api/interactions/:id/erase'),
  syncSettings: route<{ response: Out<typeof Sync.SyncSettings> }>()('GET', '/api/admin/sync-settings'),
  saveSyncSettings: route<{ body: In<typeof Sync.SyncSettings>; response: Out<typeof Sync.SyncSettings> }>()('PUT', '/api/admin/sync-settings'),
} as const;

export type RouteName = keyof typeof routes;

export type ParamsOf<R extends Route> = R extends Route<infer P> ? { [K in PathParamNames<P>]: string | number } : never;
export type QueryOf<R extends Route> = R extends Route<string, infer T> ? (T extends { query: infer Q } ? Q : never) : never;
export type BodyOf<R extends Route> = R extends Route<string, infer T> ? (T extends { body: infer B } ? B : never) : never;
export type ResponseOf<R extends Route> = R extends Route<string, infer T> ? T['response'] : never;

/** The path with each `:name` replaced by its value, escaped, e.g. '/api/recordings/a%2Fb/audio'. */
export function routePath(route: Route, params: Readonly<Record<string, string | number>> = {}): string {
  return route.path.replace(/:([A-Za-z]+)/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${route.method} ${route.path}: missing the path parameter ${name}`);
    return encodeURIComponent(String(value));
  });
}
