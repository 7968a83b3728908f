import { selectCanSeeRoster, selectServerUrl, selectUser } from '../features/auth/auth-slice';
import { ConnectionBanner } from '../features/connection/ConnectionBanner';
import { ConnectionStatus } from '../features/connection/ConnectionStatus';
import { selectConnection } from '../features/connection/connection-slice';
import { MyStatus } from '../features/presence/MyStatus';
import { PresenceSelect } from '../features/presence/PresenceSelect';
import { ROLE_LABELS } from '../features/presence/presence-labels';
import { AgentList } from '../features/roster/AgentList';
import { useAppStore } from './store-context';

/** The signed-in workspace: top bar with identity and status, a sidebar, and the role's content. */
export function Shell() {
  const user = useAppStore(selectUser);
  const canSeeRoster = useAppStore(selectCanSeeRoster);
  const serverUrl = useAppStore(selectServerUrl);
  const { serverVersion } = useAppStore(selectConnection);
  const signOut = useAppStore((s) => s.signOut);

  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Veildesk
        </div>
        <ConnectionStatus />
        <div className="topbar-spacer" />
        <PresenceSelect />
        {user && (
          <div className="identity">
            <span className="identity-name" data-testid="user-name">
              {user.displayName}
            </span>
            <span className="role-badge" data-testid="user-role">
              {ROLE_LABELS[user.role]}
            </span>
          </div>
        )}
        <button type="button" className="button-ghost" data-testid="signout" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>

      <ConnectionBanner />

      <div className="workspace">
        <aside className="sidebar" aria-label="Sections">
          <nav>
            <a href="#my-status" className="nav-item">
              My status
            </a>
            {canSeeRoster && (
              <a href="#team" className="nav-item">
                Team
              </a>
            )}
          </nav>
          <div className="sidebar-footer muted small">
            <div title={serverUrl}>{serverUrl.replace(/^https?:\/\//, '')}</div>
            {serverVersion && <div>Server {serverVersion}</div>}
          </div>
        </aside>

        <main className="content">
          <MyStatus />
          {canSeeRoster && <AgentList />}
        </main>
      </div>
    </div>
  );
}
