import { type AgentBoardRow, type QueueBoardRow } from '../../../shared';
import { elapsedSince, formatDuration } from '../../app/format';
import { useAppStore } from '../../app/store-context';
import { useNow } from '../../app/use-now';
import { selectIsLive } from '../connection/connection-slice';
import { MonitorControls } from '../monitoring/MonitorControls';
import { BoardMove } from './BoardMove';
import { PRESENCE_LABELS } from '../presence/presence-labels';
import { ACTIVITY_LABELS, boardTotals, describeInteractions, longestWaitMs, offerOutcomesText, waitLevel } from './board-logic';
import { selectBoardAgents, selectBoardLoaded, selectBoardQueues } from './board-slice';
import './board.css';

/** Today's (UTC) offers not taken, with each count also as a data attribute. */
function OfferOutcomesCell({ counts }: { counts: QueueBoardRow['offerOutcomes'] }) {
  return (
    <td
      className="small"
      data-testid="board-offer-outcomes"
      data-declined={counts?.declined ?? 0}
      data-timed-out={counts?.timedOut ?? 0}
      data-taken-by-another={counts?.takenByAnother ?? 0}
      data-withdrawn={counts?.withdrawn ?? 0}
      data-unavailable={counts?.unavailable ?? 0}
    >
      {offerOutcomesText(counts)}
    </td>
  );
}

function QueueRow({ row, now }: { row: QueueBoardRow; now: number }) {
  const wait = longestWaitMs(row, now);
  return (
    <tr className="queue-row" data-testid="queue-row" data-queue-id={row.queueId}>
      <th scope="row" data-testid="queue-name">
        {row.name}
      </th>
      <td className="num" data-testid="queue-waiting">
        {row.waiting}
      </td>
      <td className={`num wait-${waitLevel(wait)}`} data-testid="queue-longest-wait">
        {wait === null ? '—' : formatDuration(wait)}
      </td>
      <td className="num" data-testid="queue-available">
        {row.membersAvailable}
      </td>
      <td className="num" data-testid="queue-busy">
        {row.membersBusy}
      </td>
      <td className="num" data-testid="queue-signed-in">
        {row.membersSignedIn}
      </td>
      <OfferOutcomesCell counts={row.offerOutcomes} />
      <td>
        {(row.items ?? []).map((item) => (
          <BoardMove key={item.id} item={item} currentAgentId={null} />
        ))}
      </td>
    </tr>
  );
}

function AgentRow({ row, now }: { row: AgentBoardRow; now: number }) {
  return (
    <tr data-testid="board-agent-row" data-username={row.username} data-activity={row.activity}>
      <th scope="row">
        <span className={`presence-dot presence-${row.presence}`} aria-hidden="true" /> {row.displayName}{' '}
        <span className="muted small">{row.username}</span>
      </th>
      <td>
        <span className={`pill presence-${row.presence}`}>{PRESENCE_LABELS[row.presence]}</span>
      </td>
      <td className={`activity activity-${row.activity}`}>{ACTIVITY_LABELS[row.activity]}</td>
      <td className="muted small">
        {describeInteractions(row) ?? '—'}
        {row.interactions.map((item) => (
          <BoardMove key={item.id} item={item} currentAgentId={row.userId} />
        ))}
      </td>
      <td className="num">{elapsedSince(row.since, now) ?? '—'}</td>
      <OfferOutcomesCell counts={row.offerOutcomes} />
      <td>
        <MonitorControls row={row} />
      </td>
    </tr>
  );
}

/** Live queue and agent board for supervisors and admins, fed by `board` frames. */
export function BoardView() {
  const queues = useAppStore(selectBoardQueues);
  const agents = useAppStore(selectBoardAgents);
  const loaded = useAppStore(selectBoardLoaded);
  const live = useAppStore(selectIsLive);
  const now = useNow(1000);
  const totals = boardTotals(queues, agents, now);

  return (
    <>
      <section className="card" aria-labelledby="queue-board-title">
        <div className="card-header">
          <h2 id="queue-board-title">Queues</h2>
          <p className="muted small" data-testid="board-totals">
            {totals.waiting} waiting
            {totals.longestWaitMs !== null ? ` · longest ${formatDuration(totals.longestWaitMs)}` : ''} · {totals.agentsSignedIn} signed in ·{' '}
            {totals.agentsWorking} working · {totals.agentsIdle} idle
          </p>
        </div>
        {/* Wide tables scroll sideways: focusable so keyboard users can scroll them too. */}
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="queue-board-title">
          <table className={`board-table${live ? '' : ' stale'}`} data-testid="queue-board" aria-busy={!loaded}>
            <thead>
              <tr>
                <th scope="col">Queue</th>
                <th scope="col" className="num">
                  Waiting
                </th>
                <th scope="col" className="num">
                  Longest wait
                </th>
                <th scope="col" className="num">
                  Available
                </th>
                <th scope="col" className="num">
                  Busy
                </th>
                <th scope="col" className="num">
                  Signed in
                </th>
                <th scope="col" title="Offers that ended without being accepted since 00:00 UTC today">
                  Offers not taken today (UTC)
                </th>
                <th scope="col">Waiting</th>
              </tr>
            </thead>
            <tbody>
              {queues.map((row) => (
                <QueueRow key={row.queueId} row={row} now={now} />
              ))}
            </tbody>
          </table>
        </div>
        {!loaded && <p className="muted empty">Waiting for the live board…</p>}
        {loaded && queues.length === 0 && <p className="muted empty">No queues are set up.</p>}
      </section>

      <section className="card" aria-labelledby="agent-board-title">
        <div className="card-header">
          <h2 id="agent-board-title">Agents</h2>
        </div>
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="agent-board-title">
          <table className={`board-table${live ? '' : ' stale'}`} data-testid="agent-board">
            <thead>
              <tr>
                <th scope="col">Agent</th>
                <th scope="col">Status</th>
                <th scope="col">Activity</th>
                <th scope="col">Current</th>
                <th scope="col" className="num">
                  In state
                </th>
                <th scope="col" title="This agent's offers that ended without being accepted since 00:00 UTC today">
                  Offers not taken today (UTC)
                </th>
                <th scope="col">Listen</th>
              </tr>
            </thead>
            <tbody>
              {agents.map((row) => (
                <AgentRow key={row.userId} row={row} now={now} />
              ))}
            </tbody>
          </table>
        </div>
        {loaded && agents.length === 0 && <p className="muted empty">No agents yet.</p>}
      </section>
    </>
  );
}
