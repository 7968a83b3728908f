import { ChangePasswordForm } from './ChangePasswordForm';

/** The signed-in user's own account: change the password any time. */
export function AccountView() {
  return (
    <div className="account-view" data-testid="account-view">
      <section className="card" aria-labelledby="account-password-title">
        <div className="card-header">
          <h2 id="account-password-title">Change password</h2>
          <p className="muted small">Your other sign-ins end when you change it.</p>
        </div>
        <ChangePasswordForm />
      </section>
    </div>
  );
}
