import type { WidgetNotices } from '../../shared/api/notices';
import type { CallRecordingFrame } from '../../shared/api/secure-pause';

/**
 * What the widget tells a customer applies to a chat or a call, built only from the org's settings
 * (GET /api/widget/notices): every sentence follows from one fact, so none can be untrue for the
 * org (privacy-model.md, "Telling people what applies"). Pure functions, no zod (types only).
 */

export type NoticeFacts = WidgetNotices;
export type RecordingNow = CallRecordingFrame['state'];

export interface NoticeLine {
  /** Stable per sentence, for tests and the page's test ids. */
  id: string;
  text: string;
}

/**
 * What applies to a call, in the order a customer needs it. `child`: the year of birth typed says
 * the customer could be under 13, and a child's call is never recorded (privacy-model.md, principle 7).
 */
export function callNoticeLines(f: NoticeFacts, opts: { child?: boolean } = {}): NoticeLine[] {
  const lines: NoticeLine[] = [];
  if (f.recordsCalls && opts.child) {
    lines.push({ id: 'not-recorded', text: 'Your call will not be recorded.' });
  } else if (f.recordsCalls) {
    const kept = f.recordingsDays === null ? '' : ` Recordings are deleted ${days(f.recordingsDays)} after the call.`;
    lines.push({ id: 'recorded', text: `Calls are recorded.${kept}` });
    // Secure pause exists only where there is a recording to pause.
    if (f.agentMayPause) lines.push({ id: 'pause', text: 'The agent can pause the recording while you share something sensitive, such as card details.' });
  } else {
    lines.push({ id: 'not-recorded', text: 'Calls are not recorded.' });
  }
  lines.push(
    f.supervisorsMayListen
      ? { id: 'listen', text: 'A supervisor may listen to a call while it happens, to help and to check quality.' }
      : { id: 'no-listen', text: 'Supervisors do not listen to calls while they happen.' },
  );
  return lines;
}

/** What applies to a chat: how long its transcript is kept and what happens to card numbers. */
export function chatNoticeLines(f: NoticeFacts): NoticeLine[] {
  const lines: NoticeLine[] = [];
  lines.push(
    f.transcriptsDays === null
      ? { id: 'kept', text: 'Chat transcripts are kept with no set time limit.' }
      : { id: 'kept', text: `Chat transcripts are deleted ${days(f.transcriptsDays)} after the conversation ends.` },
  );
  lines.push(
    f.redactsCardNumbers
      ? { id: 'cards', text: 'Card numbers you type are removed before your message is stored.' }
      : { id: 'cards-kept', text: 'Do not type card numbers: messages are stored as you type them.' },
  );
  return lines;
}

/** The privacy notice's link sentence, with its version and (once notices carry one) its effective date; null without a notice. */
export function privacyNoticeLine(f: NoticeFacts): { before: string; link: string; url: string; after: string } | null {
  if (!f.notice) return null;
  const dated = f.notice.effectiveDate ? `, in effect since ${formatDate(f.notice.effectiveDate)}` : '';
  return { before: 'How we handle your data is in our ', link: 'privacy notice', url: f.notice.url, after: ` (version ${f.notice.version}${dated}).` };
}

/** The in-call line (`widget-recording-notice`) from the server's `call.recording` frame. */
export function recordingLineText(state: RecordingNow): string {
  switch (state) {
    case 'recording':
      return 'This call is being recorded.';
    case 'paused':
      return 'Recording is paused: this part of the call is not recorded.';
    case 'off':
      return 'This call is not being recorded.';
  }
}

const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isDays = (v: unknown): v is number | null => v === null || (typeof v === 'number' && Number.isInteger(v) && v >= 1);

/** A light shape check of GET /api/widget/notices (the widget has no zod): anything odd gives null, and the widget then claims nothing. */
export function readNotices(body: unknown): NoticeFacts | null {
  const b = body as Partial<Record<keyof NoticeFacts, unknown>> | null | undefined;
  if (!b || !isBool(b.recordsCalls) || !isBool(b.supervisorsMayListen) || !isBool(b.agentMayPause) || !isBool(b.redactsCardNumbers)) return null;
  if (!isDays(b.transcriptsDays) || !isDays(b.recordingsDays)) return null;
  const n = b.notice as { version?: unknown; url?: unknown; effectiveDate?: unknown } | null | undefined;
  const notice =
    n && typeof n.version === 'string' && typeof n.url === 'string' && n.url.startsWith('https://')
      ? { version: n.version, url: n.url, effectiveDate: typeof n.effectiveDate === 'string' ? n.effectiveDate : null }
      : null;
  return {
    recordsCalls: b.recordsCalls,
    supervisorsMayListen: b.supervisorsMayListen,
    agentMayPause: b.agentMayPause,
    redactsCardNumbers: b.redactsCardNumbers,
    transcriptsDays: b.transcriptsDays,
    recordingsDays: b.recordingsDays,
    notice,
  };
}

function days(n: number): string {
  return n === 1 ? '1 day' : `${n} days`;
}

/** `2026-12-01` (or a full ISO time) as "1 December 2026", the same everywhere (UTC). */
export function formatDate(iso: string): string {
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}
