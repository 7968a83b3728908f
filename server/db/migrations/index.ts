import type { Migration } from 'kysely';
import * as initial from './001-initial';
import * as interactions from './002-interactions';
import * as recordings from './003-recordings';
import * as monitoringPolicy from './004-monitoring-policy';
import * as recordingSegments from './005-recording-segments';
import * as sync from './006-sync';
import * as redactionPolicy from './007-redaction-policy';
import * as sensitive from './008-sensitive';
import * as childProtection from './009-child-protection';
import * as privacyRequests from './010-privacy-requests';
import * as retention from './011-retention';
import * as consent from './012-consent';
import * as privacyNotices from './013-privacy-notices';
import * as noticeCampaigns from './014-notice-campaigns';
import * as reports from './015-reports';
import * as postgresIds from './016-postgres-ids';
import * as sensitiveKeywords from './017-sensitive-keywords';
import * as queueTime from './018-queue-time';
import * as recordingIntegrity from './019-recording-integrity';
import * as auditHmac from './020-audit-hmac';
import * as reportRollup from './021-report-rollup';
import * as cannedResponses from './022-canned-responses';
import * as offerOutcomes from './023-offer-outcomes';
import * as adminScreens from './024-admin-screens';
import * as evaluations from './026-evaluations';
import * as screenRecording from './027-screen-recording';
import * as monitorModes from './029-monitor-modes';
import * as screenOffset from './030-screen-offset';
import * as consults from './033-consults';
import * as pausesByAgent from './034-pauses-by-agent';

/** Every migration, in order. Names sort lexically; never rename or edit one that has shipped. */
export const migrations: Record<string, Migration> = {
  '001-initial': initial,
  '002-interactions': interactions,
  '003-recordings': recordings,
  '004-monitoring-policy': monitoringPolicy,
  '005-recording-segments': recordingSegments,
  '006-sync': sync,
  '007-redaction-policy': redactionPolicy,
  '008-sensitive': sensitive,
  '009-child-protection': childProtection,
  '010-privacy-requests': privacyRequests,
  '011-retention': retention,
  '012-consent': consent,
  '013-privacy-notices': privacyNotices,
  '014-notice-campaigns': noticeCampaigns,
  '015-reports': reports,
  '016-postgres-ids': postgresIds,
  '017-sensitive-keywords': sensitiveKeywords,
  '018-queue-time': queueTime,
  '019-recording-integrity': recordingIntegrity,
  '020-audit-hmac': auditHmac,
  '021-report-rollup': reportRollup,
  '022-canned-responses': cannedResponses,
  '023-offer-outcomes': offerOutcomes,
  '024-admin-screens': adminScreens,
  '026-evaluations': evaluations,
  '027-screen-recording': screenRecording,
  '029-monitor-modes': monitorModes,
  '030-screen-offset': screenOffset,
  '033-consults': consults,
  '034-pauses-by-agent': pausesByAgent,
};
