import { ApiError } from '../../browser/net/http-client';
import { ageForStart } from './age-question';
import type { WidgetApi } from './api';
import type { SnapshotStore } from './snapshot';
import { MAX_CHAT_TEXT, type CustomerInfo } from './types';

/** The start screen's requests that need no conversation: the queue list and leaving a message. */

export interface LeaveMessageInput {
  queueId: string;
  name: string;
  email: string;
  text: string;
  /** What the customer typed as year of birth (read only when the org asks). */
  birthYear?: string;
}

/** Only the fields the customer filled in; empty strings would fail the server's email check. */
export function customerInfo(name: string, email: string): CustomerInfo {
  const info: CustomerInfo = {};
  if (name.trim()) info.name = name.trim();
  if (email.trim()) info.email = email.trim();
  return info;
}

/**
 * The queues, whether to ask for a year of birth, the privacy notice and what applies to chats and
 * calls: the form is usable once all are known. Without the notices the widget claims nothing and
 * says it could not load them.
 */
export async function loadQueues(api: Pick<WidgetApi, 'queues' | 'settings' | 'consentSettings' | 'notices'>, store: SnapshotStore): Promise<void> {
  store.set({ queuesStatus: 'loading', queuesError: null });
  try {
    const [queues, settings, consentSettings, notices] = await Promise.all([api.queues(), api.settings(), api.consentSettings(), api.notices().catch(() => null)]);
    store.set({ queues, queuesStatus: 'ready', askBirthYear: settings.askBirthYear, consentSettings, notices });
  } catch (err) {
    store.set({ queuesStatus: 'error', queuesError: messageOf(err) });
  }
}

/** Leaves a message for the queue when nobody is there; true once the server has it. */
export async function sendLeftMessage(api: Pick<WidgetApi, 'leaveMessage'>, store: SnapshotStore, input: LeaveMessageInput, now = new Date()): Promise<boolean> {
  const text = input.text.trim();
  if (!text) {
    store.set({ leave: { status: 'error', error: 'Write your message first.', replyTo: null } });
    return false;
  }
  if (text.length > MAX_CHAT_TEXT) {
    store.set({ leave: { status: 'error', error: `Your message is too long (${text.length} characters). Keep it under ${MAX_CHAT_TEXT}.`, replyTo: null } });
    return false;
  }
  // The same neutral question as a start: a child's name and e-mail are not sent, even if typed before the year.
  const age = ageForStart(store.snapshot.askBirthYear, input.birthYear, now);
  if (!age.ok) {
    store.set({ leave: { status: 'error', error: age.error, replyTo: null } });
    return false;
  }
  const customer = age.child ? {} : customerInfo(input.name, input.email);
  store.set({ leave: { status: 'sending', error: null, replyTo: null } });
  try {
    await api.leaveMessage({ queueId: input.queueId, customer, text, ...(age.birthYear !== undefined ? { birthYear: age.birthYear } : {}) });
    store.set({ leave: { status: 'sent', error: null, replyTo: customer.email ?? null, ...(age.child ? { childProtected: true } : {}) } });
    return true;
  } catch (err) {
    store.set({ leave: { status: 'error', error: messageOf(err), replyTo: null } });
    return false;
  }
}

export function messageOf(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error && err.message) return err.message;
  return 'Something went wrong. Reload the page and try again.';
}
