import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { callNoticeLines, chatNoticeLines, privacyNoticeLine, readNotices, recordingLineText, type NoticeFacts } from '../../../widget/lib/notices';
import { NoticesPanel } from '../../../widget/ui/NoticesPanel';

/**
 * Everything the widget says before a chat or call, for every combination of the org's settings
 * that decide it: nothing said may be untrue for that combination (issue 16).
 */

const NOTICE = { version: '2026-03', url: 'https://example.org/privacy' };

function combinations(): NoticeFacts[] {
  const all: NoticeFacts[] = [];
  for (const recordsCalls of [true, false])
    for (const supervisorsMayListen of [true, false])
      for (const notice of [null, { ...NOTICE, effectiveDate: null }, { ...NOTICE, effectiveDate: '2026-12-01' }])
        for (const redactsCardNumbers of [true, false])
          for (const transcriptsDays of [null, 30])
            for (const recordingsDays of [null, 90])
              // The server says the agent may pause exactly when calls are recorded (secure pause needs a recording).
              all.push({ recordsCalls, supervisorsMayListen, agentMayPause: recordsCalls, redactsCardNumbers, transcriptsDays, recordingsDays, notice });
  return all;
}

function everythingSaid(f: NoticeFacts): string {
  const privacy = privacyNoticeLine(f);
  return [...callNoticeLines(f), ...chatNoticeLines(f)].map((l) => l.text).join(' ') + (privacy ? ` ${privacy.before}${privacy.link}${privacy.after}` : '');
}

const name = (f: NoticeFacts) =>
  `recording ${f.recordsCalls ? 'on' : 'off'}, monitoring ${f.supervisorsMayListen ? 'allowed' : 'off'}, notice ${f.notice ? (f.notice.effectiveDate ? 'dated' : 'undated') : 'absent'}, cards ${f.redactsCardNumbers ? 'redacted' : 'kept'}, transcripts ${f.transcriptsDays ?? '∞'} d, recordings ${f.recordingsDays ?? '∞'} d`;

describe('customer notices: every combination of the org settings', () => {
  const cases = combinations();
  it('covers recording on/off × monitoring allowed/not × notice absent/undated/dated (and retention, redaction)', () => {
    expect(cases).toHaveLength(2 * 2 * 3 * 2 * 2 * 2);
  });

  it.each(cases.map((f) => [name(f), f] as const))('%s: nothing said is untrue', (_name, f) => {
    const text = everythingSaid(f);
    // Never a promise of privacy the settings do not keep.
    expect(text).not.toMatch(/private|confidential|only shared|nobody else/i);

    // Recording: said exactly as the policy is, never both ways.
    expect(text.includes('Calls are recorded.')).toBe(f.recordsCalls);
    expect(text.includes('Calls are not recorded.')).toBe(!f.recordsCalls);
    expect(/recordings are deleted/i.test(text)).toBe(f.recordsCalls && f.recordingsDays !== null);
    if (f.recordsCalls && f.recordingsDays !== null) expect(text).toContain(`Recordings are deleted ${f.recordingsDays} days after the call.`);

    // Secure pause: mentioned only when there is a recording to pause.
    expect(/pause/i.test(text)).toBe(f.recordsCalls && f.agentMayPause);

    // Live listening: as the monitoring policy allows.
    expect(text.includes('A supervisor may listen to a call')).toBe(f.supervisorsMayListen);
    expect(text.includes('Supervisors do not listen to calls')).toBe(!f.supervisorsMayListen);

    // Chats: retention and redaction as configured.
    expect(text.includes(`Chat transcripts are deleted ${f.transcriptsDays} days`)).toBe(f.transcriptsDays !== null);
    expect(text.includes('kept with no set time limit')).toBe(f.transcriptsDays === null);
    expect(text.includes('Card numbers you type are removed')).toBe(f.redactsCardNumbers);
    expect(text.includes('stored as you type them')).toBe(!f.redactsCardNumbers);

    // The privacy notice: linked with its version when the org has one, dated only when it has a date.
    const privacy = privacyNoticeLine(f);
    expect(privacy !== null).toBe(f.notice !== null);
    if (f.notice) {
      expect(privacy?.url).toBe(f.notice.url);
      expect(text).toContain(`version ${f.notice.version}`);
    }
    expect(text.includes('in effect since 1 December 2026')).toBe(f.notice?.effectiveDate === '2026-12-01');
  });

  it.each(cases.map((f) => [name(f), f] as const))('%s, to someone who could be under 13: never that the call is recorded or can be paused', (_name, f) => {
    const text = callNoticeLines(f, { child: true })
      .map((l) => l.text)
      .join(' ');
    expect(text).not.toMatch(/Calls are recorded|pause|Recordings are deleted/);
    expect(text).toMatch(f.recordsCalls ? /Your call will not be recorded\./ : /Calls are not recorded\./);
  });

  it('the start panel shows the built sentences and the notice link, and no privacy promise', () => {
    const f: NoticeFacts = { recordsCalls: true, supervisorsMayListen: true, agentMayPause: true, redactsCardNumbers: true, transcriptsDays: 30, recordingsDays: null, notice: { ...NOTICE, effectiveDate: null } };
    const html = renderToStaticMarkup(createElement(NoticesPanel, { notices: f, loaded: true }));
    expect(html).toContain('data-testid="widget-notice-call-recorded"');
    expect(html).toContain('data-testid="widget-notice-call-listen"');
    expect(html).toContain('data-testid="widget-notice-call-pause"');
    expect(html).toContain('href="https://example.org/privacy"');
    expect(html).not.toMatch(/private/i);
  });

  it('leaves the link to the consent fieldset below when that shows the notice (one link on the form)', () => {
    const f: NoticeFacts = { recordsCalls: false, supervisorsMayListen: false, agentMayPause: false, redactsCardNumbers: true, transcriptsDays: null, recordingsDays: null, notice: { ...NOTICE, effectiveDate: null } };
    const html = renderToStaticMarkup(createElement(NoticesPanel, { notices: f, loaded: true, privacyBelow: true }));
    expect(html).not.toContain('widget-notices-privacy');
    expect(html).toContain('Calls are not recorded.');
  });

  it('without the settings the panel claims nothing and says it could not load them', () => {
    const html = renderToStaticMarkup(createElement(NoticesPanel, { notices: null, loaded: true }));
    expect(html).toContain('widget-notices-missing');
    expect(html).not.toMatch(/recorded|listen|private/i);
  });
});

describe('the in-call recording line', () => {
  it('says what the server says: recording, paused, or not recorded', () => {
    expect(recordingLineText('recording')).toBe('This call is being recorded.');
    expect(recordingLineText('paused')).toMatch(/^Recording is paused/);
    expect(recordingLineText('off')).toBe('This call is not being recorded.');
  });
});

describe('reading GET /api/widget/notices without zod', () => {
  const good = { recordsCalls: true, supervisorsMayListen: false, agentMayPause: true, redactsCardNumbers: true, transcriptsDays: 30, recordingsDays: null, notice: { version: 'v1', url: 'https://x.example/p', effectiveDate: null } };
  it('keeps a well-formed answer', () => {
    expect(readNotices(good)).toEqual(good);
  });
  it('an odd answer gives null (the widget then claims nothing)', () => {
    expect(readNotices(null)).toBeNull();
    expect(readNotices({ ...good, recordsCalls: 'yes' })).toBeNull();
    expect(readNotices({ ...good, transcriptsDays: -1 })).toBeNull();
  });
  it('a notice without an https link is dropped, not linked', () => {
    expect(readNotices({ ...good, notice: { version: 'v1', url: 'javascript:alert(1)', effectiveDate: null } })?.notice).toBeNull();
  });
});
