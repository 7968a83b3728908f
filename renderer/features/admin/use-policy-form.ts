import { useCallback, useEffect, useState } from 'react';
import { useAppStore } from '../../app/store-context';

/** What an admin policy form shows: loading, why it could not load, or the saved policy. */
export type PolicyLoad<T> = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; saved: T };

export interface PolicyForm<T> {
  load: PolicyLoad<T>;
  /** The edited policy, null until loaded. */
  draft: T | null;
  setDraft(next: T): void;
  /** The draft differs from what the server has. */
  changed: boolean;
  saving: boolean;
  result: { tone: 'ok' | 'error'; text: string } | null;
  save(): Promise<void>;
  /** Loads again after a failed load. */
  retry(): void;
}

/**
 * The life of one admin policy form: load it with the session's token, keep a draft, save the whole
 * policy and show what happened with a next step. `normalize` puts a policy in a fixed form so that
 * "changed" does not depend on, say, the order boxes were ticked.
 */
export function usePolicyForm<T>(options: {
  fetch(serverUrl: string, token: string): Promise<T>;
  save(serverUrl: string, token: string, policy: T): Promise<T>;
  /** Said after a successful save (when it applies). */
  savedText: string;
  normalize?: (policy: T) => T;
}): PolicyForm<T> {
  const serverUrl = useAppStore((s) => s.auth.serverUrl);
  const token = useAppStore((s) => s.auth.token);
  const [load, setLoad] = useState<PolicyLoad<T>>({ status: 'loading' });
  const [draft, setDraftState] = useState<T | null>(null);
  const [saving, setSaving] = useState(false);
  const [result, setResult] = useState<PolicyForm<T>['result']>(null);
  const [attempt, setAttempt] = useState(0);
  const normalize = options.normalize ?? ((p: T) => p);
  const { fetch: fetchPolicy } = options;

  useEffect(() => {
    if (!token) return;
    let cancelled = false;
    setLoad({ status: 'loading' });
    fetchPolicy(serverUrl, token).then(
      (policy) => {
        if (cancelled) return;
        setDraftState(normalize(policy));
        setLoad({ status: 'ready', saved: normalize(policy) });
      },
      (err: unknown) => !cancelled && setLoad({ status: 'error', message: err instanceof Error ? err.message : 'The policy could not be loaded.' }),
    );
    return () => {
      cancelled = true;
    };
    // normalize is a pure function of the screen, read at load time; it is not a reason to load again.
  }, [serverUrl, token, attempt, fetchPolicy]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const changed = draft !== null && load.status === 'ready' && JSON.stringify(normalize(draft)) !== JSON.stringify(load.saved);

  const save = async () => {
    if (!token || draft === null) return;
    setSaving(true);
    setResult(null);
    try {
      const saved = normalize(await options.save(serverUrl, token, normalize(draft)));
      setDraftState(saved);
      setLoad({ status: 'ready', saved });
      setResult({ tone: 'ok', text: options.savedText });
    } catch (err) {
      setResult({ tone: 'error', text: `Not saved: ${err instanceof Error ? err.message : 'the server could not be reached'}. Correct it or check the connection, then save again.` });
    } finally {
      setSaving(false);
    }
  };

  return { load, draft, setDraft: (next) => setDraftState(normalize(next)), changed, saving, result, save, retry };
}
