import { useEffect } from 'react';
import { LoginScreen } from '../features/auth/LoginScreen';
import { selectAuthStatus } from '../features/auth/auth-slice';
import { Shell } from './Shell';
import { useAppStore } from './store-context';

export function App() {
  const status = useAppStore(selectAuthStatus);
  const start = useAppStore((s) => s.start);
  const retryNow = useAppStore((s) => s.retryNow);

  useEffect(() => {
    void start();
  }, [start]);

  // Back online: reconnect right away instead of waiting out the backoff.
  useEffect(() => {
    window.addEventListener('online', retryNow);
    return () => window.removeEventListener('online', retryNow);
  }, [retryNow]);

  if (status === 'starting') {
    return (
      <main className="splash" aria-busy="true">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true" />
          Veildesk
        </div>
        <p className="muted">Restoring your session…</p>
      </main>
    );
  }
  return status === 'signed-in' ? <Shell /> : <LoginScreen />;
}
