import { useEffect } from 'react';
import { LoginScreen } from '../features/auth/LoginScreen';
import { selectAuthStatus } from '../features/auth/auth-slice';
import { PolicyGate } from '../features/policy/PolicyGate';
import { ForcedPasswordChange } from '../features/auth/ForcedPasswordChange';
import { Shell } from './Shell';
import { useAppStore } from './store-context';

export function App() {
  const status = useAppStore(selectAuthStatus);
  const start = useAppStore((s) => s.start);
  const retryNow = useAppStore((s) => s.retryNow);
  const networkLost = useAppStore((s) => s.networkLost);
  const policy = useAppStore((s) => s.policy.status);
  const mustChangePassword = useAppStore((s) => s.auth.mustChangePassword);

  useEffect(() => {
    void start();
  }, [start]);

  // Back online: reconnect right away instead of waiting out the backoff. Offline: say so at once
  // (a dead link without this event is noticed by the socket's heartbeat within 10 s).
  useEffect(() => {
    window.addEventListener('online', retryNow);
    window.addEventListener('offline', networkLost);
    return () => {
      window.removeEventListener('online', retryNow);
      window.removeEventListener('offline', networkLost);
    };
  }, [retryNow, networkLost]);

  const checkingPolicy = status === 'signed-in' && policy === 'checking';
  if (status === 'starting' || checkingPolicy) {
    return (
      <main className="splash" aria-busy="true">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true" />
          Veildesk
        </div>
        <p className="muted">{checkingPolicy ? 'Checking the privacy notice…' : 'Restoring your session…'}</p>
      </main>
    );
  }
  if (status !== 'signed-in') return <LoginScreen />;
  // A password an admin set is changed before anything else (the server refuses the rest until then).
  if (mustChangePassword) return <ForcedPasswordChange />;
  // The current material privacy notice must be accepted before the shell opens.
  return policy === 'required' ? <PolicyGate /> : <Shell />;
}
