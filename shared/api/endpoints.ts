import { z } from 'zod';
import { InteractionDetail, Queue } from '../domain/interactions';
import { ChildProtectionPolicy, WidgetSettings } from './child-protection';
import { QueueTimePolicy } from './queue-time';
import {
  AddTrainingItemRequest,
  ConsentRecordsResponse,
  ConsentSettings,
  TrainingItem,
  TrainingItemDetail,
  TrainingItemsResponse,
  WidgetConsentSettings,
  WidgetWithdrawParams,
  WithdrawConsentResponse,
} from './consent';
import { AuditPage, AuditPageQuery, AuditVerifyResponse, ClientConfig, HealthResponse, IceServersResponse, LoginRequest, LoginResponse, LogoutResponse, MeResponse } from './http';
import {
  InteractionsPage,
  InteractionsQuery,
  LeaveMessageRequest,
  LeaveMessageResponse,
  QueuesResponse,
  StartInteractionRequest,
  StartInteractionResponse,
  TransferTargetsResponse,
  WidgetQueuesResponse,
} from './interactions-http';
import { WidgetNotices } from './notices';
import { OffersPage, OffersQuery } from './offers';
import { ChunkUploadResponse, CloseRecordingRequest, Recording, RecordingAudioQuery, RecordingChunkParams, RecordingChunkQuery, RecordingPolicy, RecordingsQuery, RecordingsResponse } from './recordings';
import { type Bytes, type Route, type RouteName, routes } from './routes';
import { ScreenRecordingPolicy } from './screen-recordings';
import { EraseInteractionResponse, SyncHeadQuery, SyncHeadResponse, SyncInteractionResponse, SyncPullQuery, SyncPullResponse, SyncPushRequest, SyncPushResponse, SyncSettings } from './sync';
import { MonitoringPolicy } from './ws-monitoring';
import { MarkSensitiveRequest, MarkSensitiveResponse } from './sensitive';
import { RedactionPolicyInput } from './redaction';
import { SensitiveKeywordRules } from './sensitive-keywords';
import { CannedResponse, CannedResponseInput, CannedResponsesResponse, CreateCannedResponse, DeleteCannedResponseResponse } from './canned-responses';
import { AdminUser, AdminUsersResponse, ChangePasswordRequest, ChangePasswordResponse, CreateUserRequest, ResetPasswordRequest, RevokeSessionsResponse, UpdateUserRequest } from './users';
import { AdminQueuesResponse, CreateQueueRequest, UpdateQueueRequest } from './admin-queues';
import { CreatePrivacyRequest, CreatePrivacyRequestResponse, PrivacyRequest, PrivacyRequestsResponse, SignedReceipt, SubjectSearchQuery, SubjectSearchResponse } from './privacy';
import { RetentionPolicy, RetentionPreview } from './retention';
import {
  AcceptPrivacyNoticeRequest,
  AcceptPrivacyNoticeResponse,
  AdminPrivacyNoticesResponse,
  CurrentPrivacyNoticeResponse,
  MyPrivacyNoticeResponse,
  PrivacyNotice,
  PublishPrivacyNoticeRequest,
} from './privacy-notice';
import { CreateNoticeCampaign, NoticeCampaign, NoticeCampaignsResponse } from './notice-campaigns';
import {
  CreateEvaluation,
  Evaluation,
  EvaluationCommentInput,
  EvaluationReport,
  EvaluationReportQuery,
  EvaluationsExport,
  EvaluationsResponse,
  Scorecard,
  ScorecardInput,
  ScorecardsQuery,
  ScorecardsResponse,
  UpdateEvaluation,
} from './evaluations';
import { AnonymousNoiseSettings, AnonymousStatsQuery, AnonymousStatsResponse, ReportQuery, ReportResponse, ReportSettings } from './reports';

/**
 * The schemas of every route in routes.ts: path parameters, query, body and the answer. The server
 * parses its input with them; the agent's app checks answers with them. A body or answer that is
 * not JSON is named by a note instead of a schema.
 */
export interface Endpoint<R extends Route = Route> {
  readonly route: R;
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType | NotJson;
  readonly response: z.ZodType | NotJson;
}

/** A body or answer in bytes rather than JSON; the note says what they are. */
export interface NotJson {
  readonly notJson: string;
}

export function isNotJson(value: z.ZodType | NotJson | undefined): value is NotJson {
  return typeof value === 'object' && value !== null && 'notJson' in value;
}

/** Each schema must produce what the route's types promise (checked at compile time). */
type SchemasFor<R extends Route> = R extends Route<string, infer T>
  ? {
      params?: z.ZodType;
      query?: 'query' extends keyof T ? z.ZodType<unknown, T['query']> : never;
      body?: 'body' extends keyof T ? (T['body'] extends Bytes ? NotJson : z.ZodType<unknown, T['body']>) : never;
      response: T['response'] extends Bytes ? NotJson : z.ZodType<T['response']>;
    }
  : never;

function endpoint<R extends Route, S extends SchemasFor<R>>(route: R, schemas: S): { route: R } & S {
  return { route, ...schemas };
}

/** Path ids are plain strings here; each route decides what a bad one means (often not_found). */
const IdParams = z.object({ id: z.string() });

/** A close without a body is a close without seqs; typed as the request clients send. */
const CloseBody = z.preprocess((body) => body ?? {}, CloseRecordingRequest) as unknown as typeof CloseRecordingRequest;

const chunkBytes: NotJson = { notJson: 'the chunk bytes, Content-Type audio/webm or application/octet-stream' };

export const endpoints = {
  health: endpoint(routes.health, { response: HealthResponse }),
  config: endpoint(routes.config, { response: ClientConfig }),
  iceServers: endpoint(routes.iceServers, { response: IceServersResponse }),

  login: endpoint(routes.login, { body: LoginRequest, response: LoginResponse }),
  logout: endpoint(routes.logout, { response: LogoutResponse }),
  me: endpoint(routes.me, { response: MeResponse }),

  widgetQueues: endpoint(routes.widgetQueues, { response: WidgetQueuesResponse }),
  widgetStart: endpoint(routes.widgetStart, { body: StartInteractionRequest, response: StartInteractionResponse }),
  widgetLeaveMessage: endpoint(routes.widgetLeaveMessage, { body: LeaveMessageRequest, response: LeaveMessageResponse }),
  widgetSettings: endpoint(routes.widgetSettings, { response: WidgetSettings }),
  widgetConsentSettings: endpoint(routes.widgetConsentSettings, { response: WidgetConsentSettings }),
  widgetNotices: endpoint(routes.widgetNotices, { response: WidgetNotices }),
  widgetConsents: endpoint(routes.widgetConsents, { response: ConsentRecordsResponse }),
  widgetWithdrawConsent: endpoint(routes.widgetWithdrawConsent, { params: WidgetWithdrawParams, response: WithdrawConsentResponse }),

  queues: endpoint(routes.queues, { response: QueuesResponse }),
  interactions: endpoint(routes.interactions, { query: InteractionsQuery, response: InteractionsPage }),
  interaction: endpoint(routes.interaction, { params: IdParams, response: InteractionDetail }),
  offers: endpoint(routes.offers, { query: OffersQuery, response: OffersPage }),
  transferTargets: endpoint(routes.transferTargets, { params: IdParams, response: TransferTargetsResponse }),
  markSensitive: endpoint(routes.markSensitive, { params: IdParams, body: MarkSensitiveRequest, response: MarkSensitiveResponse }),

  consentSettings: endpoint(routes.consentSettings, { response: ConsentSettings }),
  saveConsentSettings: endpoint(routes.saveConsentSettings, { body: ConsentSettings, response: ConsentSettings }),
  interactionConsents: endpoint(routes.interactionConsents, { params: IdParams, response: ConsentRecordsResponse }),
  withdrawConsent: endpoint(routes.withdrawConsent, { params: IdParams, response: WithdrawConsentResponse }),

  currentPrivacyNotice: endpoint(routes.currentPrivacyNotice, { response: CurrentPrivacyNoticeResponse }),
  myPrivacyNotice: endpoint(routes.myPrivacyNotice, { response: MyPrivacyNoticeResponse }),
  acceptPrivacyNotice: endpoint(routes.acceptPrivacyNotice, { body: AcceptPrivacyNoticeRequest, response: AcceptPrivacyNoticeResponse }),
  privacyNotices: endpoint(routes.privacyNotices, { response: AdminPrivacyNoticesResponse }),
  publishPrivacyNotice: endpoint(routes.publishPrivacyNotice, { body: PublishPrivacyNoticeRequest, response: PrivacyNotice }),

  trainingItems: endpoint(routes.trainingItems, { response: TrainingItemsResponse }),
  addTrainingItem: endpoint(routes.addTrainingItem, { body: AddTrainingItemRequest, response: TrainingItem }),
  trainingItem: endpoint(routes.trainingItem, { params: IdParams, response: TrainingItemDetail }),

  adminUsers: endpoint(routes.adminUsers, { response: AdminUsersResponse }),
  updateUser: endpoint(routes.updateUser, { params: IdParams, body: UpdateUserRequest, response: AdminUser }),
  revokeUserSessions: endpoint(routes.revokeUserSessions, { params: IdParams, response: RevokeSessionsResponse }),
  createUser: endpoint(routes.createUser, { body: CreateUserRequest, response: AdminUser }),
  resetUserPassword: endpoint(routes.resetUserPassword, { params: IdParams, body: ResetPasswordRequest, response: AdminUser }),
  changePassword: endpoint(routes.changePassword, { body: ChangePasswordRequest, response: ChangePasswordResponse }),
  adminQueues: endpoint(routes.adminQueues, { response: AdminQueuesResponse }),
  createQueue: endpoint(routes.createQueue, { body: CreateQueueRequest, response: Queue }),
  updateQueue: endpoint(routes.updateQueue, { params: IdParams, body: UpdateQueueRequest, response: Queue }),
  auditVerify: endpoint(routes.auditVerify, { response: AuditVerifyResponse }),
  auditPage: endpoint(routes.auditPage, { query: AuditPageQuery, response: AuditPage }),

  recordingPolicy: endpoint(routes.recordingPolicy, { response: RecordingPolicy }),
  saveRecordingPolicy: endpoint(routes.saveRecordingPolicy, { body: RecordingPolicy, response: RecordingPolicy }),
  screenRecordingPolicy: endpoint(routes.screenRecordingPolicy, { response: ScreenRecordingPolicy }),
  saveScreenRecordingPolicy: endpoint(routes.saveScreenRecordingPolicy, { body: ScreenRecordingPolicy, response: ScreenRecordingPolicy }),
  recordings: endpoint(routes.recordings, { query: RecordingsQuery, response: RecordingsResponse }),
  recording: endpoint(routes.recording, { params: IdParams, response: Recording }),
  recordingAudio: endpoint(routes.recordingAudio, { params: IdParams, query: RecordingAudioQuery, response: { notJson: 'the audio bytes (audio/webm)' } }),
  closeRecording: endpoint(routes.closeRecording, { params: IdParams, body: CloseBody, response: Recording }),
  recordingChunk: endpoint(routes.recordingChunk, { params: RecordingChunkParams, query: RecordingChunkQuery, body: chunkBytes, response: ChunkUploadResponse }),
  recordingChunkUnsegmented: endpoint(routes.recordingChunkUnsegmented, { params: RecordingChunkParams, body: chunkBytes, response: ChunkUploadResponse }),

  monitoringPolicy: endpoint(routes.monitoringPolicy, { response: MonitoringPolicy }),
  saveMonitoringPolicy: endpoint(routes.saveMonitoringPolicy, { body: MonitoringPolicy, response: MonitoringPolicy }),
  childProtectionPolicy: endpoint(routes.childProtectionPolicy, { response: ChildProtectionPolicy }),
  saveChildProtectionPolicy: endpoint(routes.saveChildProtectionPolicy, { body: ChildProtectionPolicy, response: ChildProtectionPolicy }),
  queueTimePolicy: endpoint(routes.queueTimePolicy, { response: QueueTimePolicy }),
  saveQueueTimePolicy: endpoint(routes.saveQueueTimePolicy, { body: QueueTimePolicy, response: QueueTimePolicy }),
  redactionPolicy: endpoint(routes.redactionPolicy, { response: RedactionPolicyInput }),
  saveRedactionPolicy: endpoint(routes.saveRedactionPolicy, { body: RedactionPolicyInput, response: RedactionPolicyInput }),
  sensitiveKeywords: endpoint(routes.sensitiveKeywords, { response: SensitiveKeywordRules }),
  saveSensitiveKeywords: endpoint(routes.saveSensitiveKeywords, { body: SensitiveKeywordRules, response: SensitiveKeywordRules }),

  cannedResponses: endpoint(routes.cannedResponses, { response: CannedResponsesResponse }),
  createCannedResponse: endpoint(routes.createCannedResponse, { body: CreateCannedResponse, response: CannedResponse }),
  updateCannedResponse: endpoint(routes.updateCannedResponse, { params: IdParams, body: CannedResponseInput, response: CannedResponse }),
  deleteCannedResponse: endpoint(routes.deleteCannedResponse, { params: IdParams, response: DeleteCannedResponseResponse }),

  privacySubjects: endpoint(routes.privacySubjects, { query: SubjectSearchQuery, response: SubjectSearchResponse }),
  createPrivacyRequest: endpoint(routes.createPrivacyRequest, { body: CreatePrivacyRequest, response: CreatePrivacyRequestResponse }),
  privacyRequests: endpoint(routes.privacyRequests, { response: PrivacyRequestsResponse }),
  privacyRequest: endpoint(routes.privacyRequest, { params: IdParams, response: PrivacyRequest }),
  privacyExport: endpoint(routes.privacyExport, { params: IdParams, response: { notJson: 'the export archive (application/zip), streamed' } }),
  privacyReceipt: endpoint(routes.privacyReceipt, { params: IdParams, response: SignedReceipt }),

  retentionPolicy: endpoint(routes.retentionPolicy, { response: RetentionPolicy }),
  saveRetentionPolicy: endpoint(routes.saveRetentionPolicy, { body: RetentionPolicy, response: RetentionPolicy }),
  previewRetention: endpoint(routes.previewRetention, { body: RetentionPolicy, response: RetentionPreview }),

  noticeCampaigns: endpoint(routes.noticeCampaigns, { response: NoticeCampaignsResponse }),
  createNoticeCampaign: endpoint(routes.createNoticeCampaign, { body: CreateNoticeCampaign, response: NoticeCampaign }),
  noticeCampaign: endpoint(routes.noticeCampaign, { params: IdParams, response: NoticeCampaign }),
  scorecards: endpoint(routes.scorecards, { query: ScorecardsQuery, response: ScorecardsResponse }),
  createScorecard: endpoint(routes.createScorecard, { body: ScorecardInput, response: Scorecard }),
  updateScorecard: endpoint(routes.updateScorecard, { params: IdParams, body: ScorecardInput, response: Scorecard }),
  archiveScorecard: endpoint(routes.archiveScorecard, { params: IdParams, response: Scorecard }),
  createEvaluation: endpoint(routes.createEvaluation, { body: CreateEvaluation, response: Evaluation }),
  myEvaluations: endpoint(routes.myEvaluations, { response: EvaluationsResponse }),
  exportMyEvaluations: endpoint(routes.exportMyEvaluations, { response: EvaluationsExport }),
  evaluationReport: endpoint(routes.evaluationReport, { query: EvaluationReportQuery, response: EvaluationReport }),
  evaluation: endpoint(routes.evaluation, { params: IdParams, response: Evaluation }),
  updateEvaluation: endpoint(routes.updateEvaluation, { params: IdParams, body: UpdateEvaluation, response: Evaluation }),
  commentEvaluation: endpoint(routes.commentEvaluation, { params: IdParams, body: EvaluationCommentInput, response: Evaluation }),
  interactionEvaluations: endpoint(routes.interactionEvaluations, { params: IdParams, response: EvaluationsResponse }),

  reports: endpoint(routes.reports, { query: ReportQuery, response: ReportResponse }),
  reportsCsv: endpoint(routes.reportsCsv, { query: ReportQuery, response: { notJson: 'the report as CSV (text/csv, an attachment)' } }),
  anonymousStats: endpoint(routes.anonymousStats, { query: AnonymousStatsQuery, response: AnonymousStatsResponse }),
  reportSettings: endpoint(routes.reportSettings, { response: ReportSettings }),
  saveReportSettings: endpoint(routes.saveReportSettings, { body: ReportSettings, response: ReportSettings }),
  reportNoise: endpoint(routes.reportNoise, { response: AnonymousNoiseSettings }),
  saveReportNoise: endpoint(routes.saveReportNoise, { body: AnonymousNoiseSettings, response: AnonymousNoiseSettings }),

  syncHead: endpoint(routes.syncHead, { query: SyncHeadQuery, response: SyncHeadResponse }),
  syncPull: endpoint(routes.syncPull, { query: SyncPullQuery, response: SyncPullResponse }),
  syncInteraction: endpoint(routes.syncInteraction, { params: IdParams, response: SyncInteractionResponse }),
  syncPush: endpoint(routes.syncPush, { body: SyncPushRequest, response: SyncPushResponse }),
  eraseInteraction: endpoint(routes.eraseInteraction, { params: IdParams, response: EraseInteractionResponse }),
  syncSettings: endpoint(routes.syncSettings, { response: SyncSettings }),
  saveSyncSettings: endpoint(routes.saveSyncSettings, { body: SyncSettings, response: SyncSettings }),
} satisfies Record<RouteName, Endpoint>;
