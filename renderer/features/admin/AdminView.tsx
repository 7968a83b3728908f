import { RecordingPolicyScreen } from './RecordingPolicyScreen';

/** Org settings for admins (signed-in users with the admin role). */
export function AdminView() {
  return (
    <section className="card admin-view" aria-labelledby="admin-title" data-testid="admin-view">
      <div className="card-header">
        <h2 id="admin-title">Call recording</h2>
        <p className="muted small">The org&apos;s policy for recording calls</p>
      </div>
      <RecordingPolicyScreen />
    </section>
  );
}

export const selectIsAdmin = (s: { auth: { user: { role: string } | null } }): boolean => s.auth.user?.role === 'admin';
