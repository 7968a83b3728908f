import { type RosterEntry } from '../../../shared';
import { elapsedSince, formatFullDateTime } from '../../app/format';
import { useAppStore } from '../../app/store-context';
import { useNow } from '../../app/use-now';
import { selectIsLive } from '../connection/connection-slice';
import { ROLE_LABELS } from '../presence/presence-labels';
import { selectRosterLoaded, selectSortedAgents } from './roster-slice';
import './roster.css';

function AgentRow({ agent, now }: { agent: RosterEntry; now: number }) {
  const elapsed = elapsedSince(agent.since, now);
  return (
    <li className="agent-row" data-testid="agent-row" data-username={agent.username} data-presence={agent.presence}>
      <span className={`presence-dot presence-${agent.presence}`} aria-hidden="true" />
      {/* Username and presence are adjacent text ("agent1 — busy") so the row reads well aloud and in tests. */}
      <span className="agent-main">
        <span className="agent-username">{agent.username}</span>
        <span className="agent-sep"> — </span>
        <span className={`pill presence-${agent.presence}`}>{agent.presence}</span>
      </span>
      <span className="agent-name">
        {agent.displayName}
        {agent.role !== 'agent' && <span className="role-badge">{ROLE_LABELS[agent.role]}</span>}
      </span>
      <span className="agent-time" title={`Since ${formatFullDateTime(agent.since)}`}>
        {elapsed ?? '—'}
      </span>
    </li>
  );
}

/** Live team view for supervisors and admins, sorted by username. */
export function AgentList() {
  const agents = useAppStore(selectSortedAgents);
  const loaded = useAppStore(selectRosterLoaded);
  const live = useAppStore(selectIsLive);
  const now = useNow(1000);

  const counts = { available: 0, busy: 0, away: 0, offline: 0 };
  for (const agent of agents) counts[agent.presence] += 1;

  return (
    <section className="card" id="team" aria-labelledby="team-title">
      <div className="card-header">
        <h2 id="team-title">Team</h2>
        <p className="muted small" aria-live="polite">
          {counts.available} available · {counts.busy} busy · {counts.away} away · {counts.offline} offline
        </p>
      </div>
      <div className="agent-list-head" aria-hidden="true">
        <span />
        <span>Agent — status</span>
        <span>Name</span>
        <span>In state</span>
      </div>
      {/* While reconnecting the rows are the last known state; dim them rather than hide them. */}
      <ul className={`agent-list${live ? '' : ' stale'}`} data-testid="agent-list" aria-busy={!loaded}>
        {agents.map((agent) => (
          <AgentRow key={agent.userId} agent={agent} now={now} />
        ))}
      </ul>
      {loaded && agents.length === 0 && <p className="muted empty">No agents yet.</p>}
      {!loaded && <p className="muted empty">Loading the team…</p>}
    </section>
  );
}
