import { ageForStart } from './age-question';
import type { StartResult, WidgetApi } from './api';
import type { CallSession } from './call-session';
import { startConsents } from './consent-view';
import type { SnapshotStore, StartForm } from './snapshot';
import { customerInfo, messageOf } from './start-screen';
import type { InteractionKindLive } from './types';

/**
 * The start form's chat or call button, up to the server's answer: the checks (a queue, the year of
 * birth), the microphone first for a call so a blocked mic never queues a silent call, and only what
 * may be sent (nothing about a child). The controller takes the answer and runs the conversation.
 */

export interface StartContext {
  api: Pick<WidgetApi, 'start'>;
  store: SnapshotStore;
  call: Pick<CallSession, 'acquireMicrophone' | 'stopLocalStream'>;
  now(): number;
}

/**
 * `started` gets the server's answer and whether consents went with it. Whatever fails, `started`
 * included, frees the microphone and puts the reason on the start form.
 */
export async function startConversation(
  ctx: StartContext,
  kind: InteractionKindLive,
  form: StartForm,
  started: (result: StartResult, sentConsents: boolean) => void,
): Promise<void> {
  const { store } = ctx;
  if (store.snapshot.starting || store.snapshot.session) return;
  if (!form.queueId) {
    store.set({ startError: 'Choose who you want to talk to first.' });
    return;
  }
  const age = ageForStart(store.snapshot.askBirthYear, form.birthYear, new Date(ctx.now()));
  if (!age.ok) return store.set({ startError: age.error });
  // A child's name and e-mail are not asked for, and not sent even if typed before the year.
  const customer = age.child ? {} : customerInfo(form.name, form.email);
  const { birthYear } = age;
  store.set({ starting: kind, startError: null, notice: null, phase: 'starting' });
  if (kind === 'call') {
    store.setCall({ status: 'mic', error: null });
    try {
      await ctx.call.acquireMicrophone();
    } catch (err) {
      store.set({ starting: null, phase: 'idle', startError: messageOf(err) });
      store.setCall({ status: 'idle' });
      return;
    }
  }
  try {
    // A child's choices are not sent: nothing is recorded about them (the server ignores them too).
    const consents = age.child ? {} : startConsents(store.snapshot.consentSettings, form.consents ?? []);
    const r = await ctx.api.start({ kind, queueId: form.queueId, customer, ...(birthYear !== undefined ? { birthYear } : {}), ...consents });
    started(r, Boolean(consents.consents));
  } catch (err) {
    ctx.call.stopLocalStream();
    store.set({ starting: null, phase: 'idle', startError: messageOf(err) });
    store.setCall({ status: 'idle' });
  }
}
