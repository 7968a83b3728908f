import { useEffect, useMemo } from 'react';
import { useAppStore } from '../../app/store-context';
import { privacyHttp } from './privacy-api';
import { createPrivacyStore } from './privacy-store';
import { RetentionForm } from './RetentionForm';
import { createRequestList } from './request-list';
import { type PrivacyParts, PrivacySections } from './PrivacySections';
import './privacy.css';

const SESSION_ENDED = 'Your session has ended. Sign in again.';

/** The stores and HTTP of one signed-in session's Privacy view. */
export function createPrivacyParts(serverUrl: string, token: string, onUnauthenticated: () => void, fetchImpl?: typeof fetch): PrivacyParts {
  const http = privacyHttp(serverUrl, token, fetchImpl);
  const list = createRequestList({ http, onUnauthenticated });
  const store = createPrivacyStore({ http, onRequestCreated: () => void list.refresh(), onUnauthenticated });
  return { http, list, store };
}

/**
 * Admin → Privacy, and the only view of the `privacy` role: find a person's data, export, correct
 * or erase it through requests that show their progress, and (admins) the retention policy.
 */
export function PrivacyView() {
  const serverUrl = useAppStore((s) => s.auth.serverUrl);
  const token = useAppStore((s) => s.auth.token) ?? '';
  const endSession = useAppStore((s) => s.endSession);
  const isAdmin = useAppStore((s) => s.auth.user?.role === 'admin');
  const parts = useMemo(() => createPrivacyParts(serverUrl, token, () => endSession(SESSION_ENDED)), [serverUrl, token, endSession]);

  useEffect(() => {
    void parts.list.start();
    return () => parts.list.stop();
  }, [parts]);

  return <PrivacySections parts={parts} retention={isAdmin ? <RetentionForm /> : null} />;
}

