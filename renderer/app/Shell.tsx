import { useState } from 'react';
import { OfferAlertsToggle } from '../features/alerts/OfferAlertsToggle';
import { OfferAnnouncer } from '../features/alerts/OfferAnnouncer';
import { DeviceNotice } from '../features/devices/DeviceNotice';
import { SettingsView } from '../features/settings/SettingsView';
import { ScreenRecordingIndicator } from '../features/screen-recording/ScreenRecordingIndicator';
import { AdminView, selectIsAdmin } from '../features/admin/AdminView';
import { AccountView } from '../features/auth/AccountView';
import { selectCanSeeRoster, selectCanUsePrivacy, selectHasWorkspace, selectServerUrl, selectUser } from '../features/auth/auth-slice';
import { BoardView } from '../features/board/BoardView';
import { ConnectionBanner } from '../features/connection/ConnectionBanner';
import { ConnectionStatus } from '../features/connection/ConnectionStatus';
import { selectConnection } from '../features/connection/connection-slice';
import { selectUnreadTotal } from '../features/chats/chats-slice';
import { HistoryView } from '../features/history/HistoryView';
import { LocalDataBanner } from '../features/localdata/LocalDataBanner';
import { LocalDataPanel, LocalDataToggle } from '../features/localdata/LocalDataPanel';
import { SyncStatus } from '../features/localdata/SyncStatus';
import { TrainingView } from '../features/training/TrainingView';
import { OfferCards } from '../features/offers/OfferCards';
import { PolicyUpdatedBanner } from '../features/policy/PolicyUpdatedBanner';
import { selectOfferCount } from '../features/offers/offers-slice';
import { ReportsView } from '../features/reports/ReportsView';
import { PresenceSelect } from '../features/presence/PresenceSelect';
import { PrivacyView } from '../features/privacy/PrivacyView';
import { ROLE_LABELS } from '../features/presence/presence-labels';
import { ShareDock } from '../features/share/ShareDock';
import { Notices } from '../features/workspace/Notices';
import { WorkView } from '../features/workspace/WorkView';
import { RepliesView } from '../features/canned/RepliesView';
import { EvaluationsView } from '../features/evaluations/EvaluationsView';
import { ShortcutsHelp } from '../features/shortcuts/ShortcutsHelp';
import { useShortcuts } from '../features/shortcuts/use-shortcuts';
import { type View, selectView } from '../features/workspace/workspace-slice';
import { selectWrapupList } from '../features/wrapup/wrapup-slice';
import { useAppStore } from './store-context';

function NavButton({ view, label, badge, sub }: { view: View; label: string; badge?: number; sub?: boolean }) {
  const current = useAppStore(selectView);
  const setView = useAppStore((s) => s.setView);
  const active = current === view;
  return (
    <button
      type="button"
      className={`nav-item${sub ? ' nav-sub' : ''}${active ? ' active' : ''}`}
      data-testid={`nav-${view}`}
      aria-current={active ? 'page' : undefined}
      onClick={() => setView(view)}
    >
      {label}
      {badge ? (
        <span className="nav-badge" aria-label={`${badge} waiting`}>
          {badge}
        </span>
      ) : null}
    </button>
  );
}

/** The signed-in workspace: top bar with identity and status, navigation, offers, and the chosen view. */
export function Shell() {
  const user = useAppStore(selectUser);
  const canSeeBoard = useAppStore(selectCanSeeRoster);
  const serverUrl = useAppStore(selectServerUrl);
  const { serverVersion } = useAppStore(selectConnection);
  const signOut = useAppStore((s) => s.signOut);
  const view = useAppStore(selectView);
  const offers = useAppStore(selectOfferCount);
  const unread = useAppStore(selectUnreadTotal);
  const wrapups = useAppStore((s) => selectWrapupList(s).length);
  const isAdmin = useAppStore(selectIsAdmin);
  const canUsePrivacy = useAppStore(selectCanUsePrivacy);
  // Supervisors and admins: the board, the training library and reports. The privacy role has no workspace: no queues, chats, presence or local data, only the Privacy view.
  const hasWorkspace = useAppStore(selectHasWorkspace);
  const shownView: View = !hasWorkspace
    ? view === 'account'
      ? 'account'
      : 'privacy'
    : ((view === 'board' || view === 'training' || view === 'reports') && !canSeeBoard) || (view === 'admin' && !isAdmin) || (view === 'privacy' && !canUsePrivacy)
      ? 'work'
      : view;

  const [localDataOpen, setLocalDataOpen] = useState(false);

  // The window title and the dock badge (offers + unread messages) are kept by features/alerts (wired in main.tsx).
  // The desk's keyboard shortcuts (accept, hang up, mute…) exist only where there is a desk.
  const shortcuts = useShortcuts(hasWorkspace);

  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Veildesk
        </div>
        {hasWorkspace && <ConnectionStatus />}
        {hasWorkspace && <SyncStatus />}
        <div className="topbar-spacer" />
        {hasWorkspace && <ScreenRecordingIndicator />}
        {hasWorkspace && <OfferAlertsToggle />}
        {hasWorkspace && <PresenceSelect />}
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

      {hasWorkspace && <ConnectionBanner />}
      {hasWorkspace && <LocalDataBanner />}
      <PolicyUpdatedBanner />

      <div className="workspace">
        <aside className="sidebar" aria-label="Sections">
          <nav aria-label="Main">
            {hasWorkspace && <NavButton view="work" label="Work" badge={offers + unread + wrapups} />}
            {hasWorkspace && <NavButton view="history" label="History" />}
            {hasWorkspace && <NavButton view="replies" label="Replies" />}
            {hasWorkspace && <NavButton view="evaluations" label="Evaluations" />}
            {canSeeBoard && <NavButton view="board" label="Board" />}
            {canSeeBoard && <NavButton view="training" label="Training" />}
            {canSeeBoard && <NavButton view="reports" label="Reports" />}
            {isAdmin && <NavButton view="admin" label="Admin" />}
            {canUsePrivacy && <NavButton view="privacy" label="Privacy" sub={isAdmin} />}
            {hasWorkspace && <NavButton view="settings" label="Settings" />}
            <NavButton view="account" label="Account" />
          </nav>
          {hasWorkspace && <LocalDataToggle open={localDataOpen} onToggle={() => setLocalDataOpen((o) => !o)} />}
          <div className="sidebar-footer muted small">
            <div title={serverUrl}>{serverUrl.replace(/^https?:\/\//, '')}</div>
            {serverVersion && <div>Server {serverVersion}</div>}
          </div>
        </aside>

        <main className="content" data-view={shownView}>
          {hasWorkspace && (
            <>
              <OfferAnnouncer />
              <DeviceNotice />
              <OfferCards />
              <Notices />
              <ShareDock />
              {localDataOpen && <LocalDataPanel />}
            </>
          )}
          {shownView === 'work' && <WorkView />}
          {shownView === 'history' && <HistoryView />}
          {shownView === 'replies' && <RepliesView />}
          {shownView === 'evaluations' && <EvaluationsView />}
          {shownView === 'board' && <BoardView />}
          {shownView === 'training' && <TrainingView />}
          {shownView === 'reports' && <ReportsView />}
          {shownView === 'admin' && <AdminView />}
          {shownView === 'privacy' && <PrivacyView />}
          {shownView === 'account' && <AccountView />}
          {shownView === 'settings' && <SettingsView />}
        </main>
      </div>
      {shortcuts.helpOpen && <ShortcutsHelp onClose={shortcuts.closeHelp} />}
    </div>
  );
}
