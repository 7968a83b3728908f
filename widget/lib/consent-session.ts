import type { WidgetApi } from './api';
import { EMPTY_CONSENT_PANEL, type ConsentPanelView } from './consent-view';
import type { SnapshotStore } from './snapshot';
import { messageOf } from './start-screen';

/** Lists and withdraws the conversation's consents with its token. */
export class ConsentSession {
  constructor(private readonly deps: { api: Pick<WidgetApi, 'consents' | 'withdrawConsent'>; store: SnapshotStore; token(): string | null }) {}

  private get view(): ConsentPanelView {
    return this.deps.store.snapshot.consents;
  }

  private set(patch: Partial<ConsentPanelView>): void {
    this.deps.store.set({ consents: { ...this.view, ...patch } });
  }

  async load(): Promise<void> {
    const token = this.deps.token();
    if (!token) return;
    try {
      this.set({ items: await this.deps.api.consents(token), error: null });
    } catch (err) {
      this.set({ error: `Your privacy choices could not be loaded: ${messageOf(err)}` });
    }
  }

  async withdraw(purposeId: string): Promise<void> {
    const token = this.deps.token();
    if (!token || this.view.busy) return;
    this.set({ busy: purposeId, error: null });
    try {
      const updated = await this.deps.api.withdrawConsent(token, purposeId);
      this.set({ busy: null, items: this.view.items.map((c) => (c.purposeId === purposeId ? { ...c, withdrawnAt: updated.withdrawnAt ?? new Date().toISOString() } : c)) });
    } catch (err) {
      this.set({ busy: null, error: messageOf(err) });
    }
  }

  reset(): void {
    this.deps.store.set({ consents: EMPTY_CONSENT_PANEL });
  }
}
