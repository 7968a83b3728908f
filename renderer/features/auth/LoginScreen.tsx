import { type FormEvent, useState } from 'react';
import { useAppStore } from '../../app/store-context';
import { LeftBehindOffer } from '../localdata/LeftBehindOffer';
import { selectAuth } from './auth-slice';

/** Sign-in form. The server field is prefilled from the bridge so most people only type credentials. */
export function LoginScreen() {
  const auth = useAppStore(selectAuth);
  const signIn = useAppStore((s) => s.signIn);
  const [serverUrl, setServerUrl] = useState(auth.serverUrl);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const busy = auth.status === 'signing-in';

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void signIn({ serverUrl, username, password });
  };

  return (
    <main className="login-page">
      <form className="login-card" onSubmit={onSubmit} aria-labelledby="login-title" noValidate>
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true" />
          Veildesk
        </div>
        <h1 id="login-title">Sign in</h1>
        <p className="muted">Use the account your contact center gave you.</p>
        <LeftBehindOffer />

        <label className="field">
          <span>Server</span>
          <input
            data-testid="login-server"
            type="url"
            inputMode="url"
            autoComplete="url"
            spellCheck={false}
            value={serverUrl}
            onChange={(e) => setServerUrl(e.target.value)}
            placeholder="https://veildesk.example.com"
            required
          />
        </label>

        <label className="field">
          <span>Username</span>
          <input
            data-testid="login-username"
            type="text"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            autoFocus
            required
          />
        </label>

        <label className="field">
          <span>Password</span>
          <input
            data-testid="login-password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>

        {auth.error && (
          <p className="form-error" role="alert" data-testid="login-error">
            {auth.error}
          </p>
        )}

        <button type="submit" className="button-primary" data-testid="login-submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>

        <p className="muted small">This window forgets your sign-in when it is closed.</p>
      </form>
    </main>
  );
}
