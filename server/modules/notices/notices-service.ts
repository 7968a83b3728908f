import type { WidgetNotices } from '../../../shared/api/notices';
import type { RecordingPolicy } from '../../../shared/api/recordings';
import type { RetentionPolicy } from '../../../shared/api/retention';
import type { MonitoringPolicy } from '../../../shared/api/ws-monitoring';
import type { RedactionPolicy } from '../../../shared/redaction/policy';
import type { WidgetConsentSettings } from '../../../shared/api/consent';

/** Where each fact comes from: the module that owns the setting, read at the time of asking. */
export interface NoticeSources {
  recordingPolicy(): Promise<RecordingPolicy>;
  monitoringPolicy(): Promise<MonitoringPolicy>;
  redactionPolicy(): RedactionPolicy;
  retentionPolicy(): Promise<RetentionPolicy>;
  consentView(): Promise<WidgetConsentSettings>;
}

/**
 * What the widget tells a customer applies, derived from the org's settings and nothing else, so
 * a change of policy changes the notice at once. No table of its own: it only reads.
 */
export async function widgetNotices(sources: NoticeSources): Promise<WidgetNotices> {
  const [recording, monitoring, retention, consent] = await Promise.all([sources.recordingPolicy(), sources.monitoringPolicy(), sources.retentionPolicy(), sources.consentView()]);
  return {
    recordsCalls: recording.recordCalls,
    supervisorsMayListen: monitoring.rolesAllowed.length > 0,
    // Secure pause exists whenever a call is recorded (server/modules/secure-pause).
    agentMayPause: recording.recordCalls,
    redactsCardNumbers: sources.redactionPolicy().entities.card,
    transcriptsDays: retention.transcriptsDays,
    recordingsDays: retention.recordingsDays,
    // Published notice versions with an effective date come with GET /api/privacy-notice; until then, none.
    notice: consent.notice ? { ...consent.notice, effectiveDate: null } : null,
  };
}
