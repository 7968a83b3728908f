import type { ConsentRecord, WidgetConsentSettings } from '../../shared/api/consent';

/**
 * Consent in the widget (docs/privacy-model.md, "Consent and the training library"): the start form
 * shows the org's privacy notice and each purpose as an unticked box; what the customer ticks goes
 * with the start, and once the conversation exists its consents are listed with a withdraw button,
 * during the conversation and after it (while its token is valid; consent-session.ts). This file is
 * the views and light answer checks; types only from shared/: no zod.
 */

export type ConsentSettingsView = WidgetConsentSettings;
export type GivenConsent = Pick<ConsentRecord, 'purposeId' | 'purposeLabel' | 'noticeVersion' | 'givenAt' | 'withdrawnAt'>;

export const NO_CONSENT_SETTINGS: ConsentSettingsView = { notice: null, purposes: [] };

export interface ConsentPanelView {
  /** The consents of this conversation as the server holds them. */
  items: readonly GivenConsent[];
  /** The purpose being withdrawn now. */
  busy: string | null;
  error: string | null;
}

export const EMPTY_CONSENT_PANEL: ConsentPanelView = { items: [], busy: null, error: null };

const isString = (v: unknown): v is string => typeof v === 'string';

/** A light shape check of GET /api/widget/consent-settings (the widget has no zod): anything odd offers nothing. */
export function readConsentSettings(body: unknown): ConsentSettingsView {
  const b = body as { notice?: { version?: unknown; url?: unknown } | null; purposes?: unknown } | null | undefined;
  const notice = b?.notice && isString(b.notice.version) && isString(b.notice.url) && b.notice.url.startsWith('https://') ? { version: b.notice.version, url: b.notice.url } : null;
  // Without a notice to read, no purpose is offered: consent needs the notice it refers to.
  if (!notice) return NO_CONSENT_SETTINGS;
  const purposes = Array.isArray(b?.purposes) ? (b.purposes as { id?: unknown; label?: unknown }[]).filter((p) => isString(p?.id) && isString(p?.label)).map((p) => ({ id: p.id as string, label: p.label as string })) : [];
  return { notice, purposes };
}

/** A light shape check of GET /api/widget/consents and of a withdrawal's record. */
export function readGivenConsents(list: unknown): GivenConsent[] {
  if (!Array.isArray(list)) return [];
  return (list as Partial<GivenConsent>[])
    .filter((c) => isString(c?.purposeId) && isString(c.purposeLabel) && isString(c.givenAt))
    .map((c) => ({ purposeId: c.purposeId!, purposeLabel: c.purposeLabel!, noticeVersion: c.noticeVersion ?? '', givenAt: c.givenAt!, withdrawnAt: isString(c.withdrawnAt) ? c.withdrawnAt : null }));
}

/** What a start adds: the ticked purposes the org offers and the notice version the form showed; nothing when none is ticked. */
export function startConsents(settings: ConsentSettingsView, ticked: readonly string[]): { consents?: string[]; noticeVersion?: string } {
  const consents = settings.purposes.filter((p) => ticked.includes(p.id)).map((p) => p.id);
  if (consents.length === 0 || !settings.notice) return {};
  return { consents, noticeVersion: settings.notice.version };
}
