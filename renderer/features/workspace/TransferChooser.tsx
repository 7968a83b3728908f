import { type FormEvent, useEffect, useId, useMemo, useState } from 'react';
import { type AppState } from '../../app/store-types';
import { useAppStore } from '../../app/store-context';
import { ACTIVITY_LABELS } from '../board/board-logic';
import { selectIsLive } from '../connection/connection-slice';
import { PRESENCE_LABELS } from '../presence/presence-labels';
import { selectQueues } from './workspace-slice';
import './workspace.css';

export interface AgentChoice {
  userId: string;
  label: string;
  /** Can take it now as far as we know (available, not wrapping up); the server checks capacity too. */
  available: boolean;
}

/**
 * People to transfer to, from the live board when we have it, else the team roster; never
 * ourselves or anyone signed out. Those who can take it now come first; the others are listed
 * with their state but cannot be chosen (the server would refuse them).
 */
export function agentChoices(board: AppState['board'], roster: AppState['roster'], me: string | null): AgentChoice[] {
  const rows = board.loaded
    ? board.agents.map((a) => ({
        ...a,
        // Away or busy says more than "Idle" about why they cannot be chosen.
        state: a.presence === 'available' ? ACTIVITY_LABELS[a.activity] : PRESENCE_LABELS[a.presence],
        wrappingUp: a.activity === 'wrapup',
      }))
    : Object.values(roster.agents)
        .filter((a) => a.role === 'agent')
        .map((a) => ({ ...a, state: PRESENCE_LABELS[a.presence], wrappingUp: false }));
  return rows
    .filter((a) => a.userId !== me && a.presence !== 'offline')
    .map((a) => ({ userId: a.userId, label: `${a.displayName} (${a.username}) — ${a.state}`, available: a.presence === 'available' && !a.wrappingUp }))
    .sort((a, b) => Number(b.available) - Number(a.available) || a.label.localeCompare(b.label));
}

/** A small inline form: send the chat or call to a queue or to a named agent. */
export function TransferChooser({ interactionId, onClose }: { interactionId: string; onClose(): void }) {
  const queues = useAppStore(selectQueues);
  const board = useAppStore((s) => s.board);
  const roster = useAppStore((s) => s.roster);
  const me = useAppStore((s) => s.auth.user?.id ?? null);
  const agents = useMemo(() => agentChoices(board, roster, me), [board, roster, me]);
  const anyAvailable = agents.some((a) => a.available);
  const loadQueues = useAppStore((s) => s.loadQueues);
  const transfer = useAppStore((s) => s.transferInteraction);
  const live = useAppStore(selectIsLive);
  const currentQueue = useAppStore((s) => (s.chats.byId[interactionId] ?? s.calls.byId[interactionId])?.summary.queueId ?? null);
  const [kind, setKind] = useState<'queue' | 'agent'>('queue');
  const [queueId, setQueueId] = useState('');
  const [userId, setUserId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  useEffect(() => {
    void loadQueues();
  }, [loadQueues]);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (kind === 'queue' && !queueId) return setError('Choose a queue.');
    if (kind === 'agent' && !userId) return setError('Choose an agent.');
    const sent = transfer(interactionId, kind === 'queue' ? { kind: 'queue', queueId } : { kind: 'agent', userId });
    if (sent) onClose();
  };

  return (
    <form className="transfer-chooser" data-testid="transfer-chooser" onSubmit={onSubmit} aria-label="Transfer">
      <fieldset className="transfer-kind">
        <legend className="visually-hidden">Transfer to</legend>
        <label>
          <input type="radio" name={`${id}-kind`} checked={kind === 'queue'} onChange={() => setKind('queue')} data-testid="transfer-kind-queue" />
          Queue
        </label>
        <label>
          <input
            type="radio"
            name={`${id}-kind`}
            checked={kind === 'agent'}
            onChange={() => setKind('agent')}
            data-testid="transfer-kind-agent"
            disabled={!anyAvailable}
          />
          Agent
        </label>
      </fieldset>
      {kind === 'queue' ? (
        <label className="field compact">
          <span>Queue</span>
          <select
            data-testid="transfer-queue"
            value={queueId}
            onChange={(e) => {
              setQueueId(e.target.value);
              setError(null);
            }}
            disabled={queues.status !== 'ready'}
          >
            <option value="">{queues.status === 'loading' ? 'Loading queues…' : 'Choose a queue'}</option>
            {queues.list.map((q) => (
              <option key={q.id} value={q.id}>
                {q.name}
                {q.id === currentQueue ? ' (current)' : ''}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <label className="field compact">
          <span>Agent</span>
          <select
            data-testid="transfer-agent"
            value={userId}
            onChange={(e) => {
              setUserId(e.target.value);
              setError(null);
            }}
          >
            <option value="">Choose an agent</option>
            {agents.map((a) => (
              <option key={a.userId} value={a.userId} disabled={!a.available}>
                {a.label}
              </option>
            ))}
          </select>
        </label>
      )}
      {queues.status === 'error' && kind === 'queue' && (
        <p className="inline-error small" role="alert">
          {queues.error}{' '}
          <button type="button" className="link-button" onClick={() => void loadQueues(true)}>
            Try again
          </button>
        </p>
      )}
      {!anyAvailable && kind === 'queue' && (
        <p className="muted small" data-testid="transfer-no-agents">
          {agents.length === 0 ? 'Agents to transfer to are listed when the team view is available.' : 'No other agent is available right now; transfer to a queue.'}
        </p>
      )}
      {error && (
        <p className="inline-error small" role="alert">
          {error}
        </p>
      )}
      <div className="transfer-actions">
        <button type="submit" className="button-accent" data-testid="transfer-submit" disabled={!live}>
          Transfer
        </button>
        <button type="button" className="button-secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
