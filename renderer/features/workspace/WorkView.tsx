import { selectCanSeeRoster } from '../auth/auth-slice';
import { useAppStore } from '../../app/store-context';
import { CallPanels } from '../calls/CallPanel';
import { selectCallList } from '../calls/calls-slice';
import { ChatWorkspace } from '../chats/ChatWorkspace';
import { selectChatTabs } from '../chats/chats-slice';
import { MyStatus } from '../presence/MyStatus';
import { selectDisplayedPresence } from '../presence/presence-slice';
import { AgentList } from '../roster/AgentList';
import { WrapupForms } from '../wrapup/WrapupForms';
import { selectWrapupList } from '../wrapup/wrapup-slice';
import './workspace.css';

function EmptyWork() {
  const presence = useAppStore(selectDisplayedPresence);
  return (
    <section className="card empty-work" data-testid="work-empty">
      <h2>No open conversations</h2>
      <p className="muted">
        {presence === 'available'
          ? 'You are available. New chats and calls appear here as offers.'
          : 'Set your status to Available to receive chats and calls.'}
      </p>
    </section>
  );
}

/** The agent's desk: wrap-ups first (they have a deadline), then calls and chats; status and team beside. */
export function WorkView() {
  const hasChats = useAppStore((s) => selectChatTabs(s).length > 0);
  const hasCalls = useAppStore((s) => selectCallList(s).length > 0);
  const hasWrapups = useAppStore((s) => selectWrapupList(s).length > 0);
  const canSeeRoster = useAppStore(selectCanSeeRoster);

  return (
    <div className="work-grid">
      <div className="work-main">
        <WrapupForms />
        <CallPanels />
        <ChatWorkspace />
        {!hasChats && !hasCalls && !hasWrapups && <EmptyWork />}
      </div>
      <div className="work-side">
        <MyStatus />
        {canSeeRoster && <AgentList />}
      </div>
    </div>
  );
}
