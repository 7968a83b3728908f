import { useAppStore } from '../../app/store-context';
import { ChangePasswordForm } from './ChangePasswordForm';

/** After an admin set the password (new account, reset): the first screen, before anything else. */
export function ForcedPasswordChange() {
  const signOut = useAppStore((s) => s.signOut);
  const user = useAppStore((s) => s.auth.user);
  return (
    <main className="login-page" data-testid="forced-password-change">
      <section className="login-card" aria-labelledby="forced-password-title">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true" />
          Veildesk
        </div>
        <h1 id="forced-password-title">Choose your own password</h1>
        <p className="muted">
          {user ? `${user.displayName}, an` : 'An'} administrator set your password. Choose your own before you continue; nobody else will know it.
        </p>
        <ChangePasswordForm forced />
        <button type="button" className="button-ghost" data-testid="forced-password-signout" onClick={() => void signOut()}>
          Sign out
        </button>
      </section>
    </main>
  );
}
