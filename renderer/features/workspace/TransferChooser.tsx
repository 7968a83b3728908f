import { type FormEvent, useEffect, useId, useMemo, useState } from 'react';
import { type TransferTargetAgent } from '../../../shared';
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

/** The server's list (live state per agent) as choices: who can take it now first. */
export function targetChoices(targets: readonly TransferTargetAgent[]): (AgentChoice & { presence: string; activity: string; username: string })[] {
  return targets
    .filter((t) => t.presence !== 'offline')
    .map((t) => {
      const state = t.presence === 'available' ? ACTIVITY_LABELS[t.activity] : PRESENCE_LABELS[t.presence];
      return {
        userId: t.userId,
        username: t.username,
        presence: t.presence,
        activity: t.activity,
        label: `${t.displayName} (${t.username}) — ${state}${t.canTake || !t.why || t.presence !== 'available' ? '' : `, ${t.why}`}`,
        available: t.canTake,
      };
    })
    .sort((a, b) => Number(b.available) - Number(a.available) || a.label.localeCompare(b.label));
}

/** How often the open agent list asks the server for everyone's state again. */
export const TARGETS_REFRESH_MS = 3000;

/** The agents' live state while the chooser is open (agents get no roster: the server lists them). */
function useTransferTargets(interactionId: string): TransferTargetAgent[] | null {
  const load = useAppStore((s) => s.loadTransferTargets);
  const [targets, setTargets] = useState<TransferTargetAgent[] | null>(null);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const tick = async () => {
      try {
        const list = await load(interactionId);
        if (!stopped) setTargets(list);
      } catch {
        // Kept as it was; the next tick tries again.
      }
      if (!stopped) timer = setTimeout(() => void tick(), TARGETS_REFRESH_MS);
    };
    void tick();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [interactionId, load]);
  return targets;
}

/**
 * A small inline form: send the chat or call to a queue or to a named agent picked from a list with
 * each agent's live state. For a call, "Consult" calls the chosen agent first (warm transfer).
 */
export function TransferChooser({ interactionId, onClose, consult = false }: { interactionId: string; onClose(): void; consult?: boolean }) {
  const queues = useAppStore(selectQueues);
  const board = useAppStore((s) => s.board);
  const roster = useAppStore((s) => s.roster);
  const me = useAppStore((s) => s.auth.user?.id ?? null);
  const targets = useTransferTargets(interactionId);
  const agents = useMemo(() => (targets ? targetChoices(targets) : agentChoices(board, roster, me)), [targets, board, roster, me]);
  const anyAvailable = agents.some((a) => a.available);
  const loadQueues = useAppStore((s) => s.loadQueues);
  const transfer = useAppStore((s) => s.transferInteraction);
  const startConsult = useAppStore((s) => s.startConsult);
  const consultOpen = useAppStore((s) => s.consult !== null);
  const live = useAppStore(selectIsLive);
  const currentQueue = useAppStore((s) => (s.chats.byId[interactionId] ?? s.calls.byId[interactionId])?.summary.queueId ?? null);
  const [kind, setKind] = useState<'queue' | 'agent'>('queue');
  const [queueId, setQueueId] = useState('');
  const [userId, setUserId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const chosen = agents.find((a) => a.userId === userId);

  useEffect(() => {
    void loadQueues();
  }, [loadQueues]);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (kind === 'queue' && !queueId) return setError('Choose a queue.');
    if (kind === 'agent' && !chosen?.available) return setError('Choose an agent who can take it now.');
    const sent = transfer(interactionId, kind === 'queue' ? { kind: 'queue', queueId } : { kind: 'agent', userId });
    if (sent) onClose();
  };

  const onConsult = () => {
    if (!chosen?.available) return setError('Choose an agent who can take the call now.');
    if (startConsult(interactionId, userId)) onClose();
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
          <input type="radio" name={`${id}-kind`} checked={kind === 'agent'} onChange={() => setKind('agent')} data-testid="transfer-kind-agent" />
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
        <fieldset className="transfer-agents" data-testid="transfer-agent-list" aria-busy={targets === null}>
          <legend>Agent</legend>
          {agents.length === 0 && <p className="muted small">{targets === null ? 'Loading agents…' : 'No other agent is signed in.'}</p>}
          {agents.map((a) => (
            <label
              key={a.userId}
              className={`transfer-agent${a.available ? '' : ' unavailable'}`}
              data-testid="transfer-agent-option"
              data-user-id={a.userId}
              data-username={'username' in a ? a.username : undefined}
              data-presence={'presence' in a ? a.presence : undefined}
              data-can-take={a.available}
            >
              <input
                type="radio"
                name={`${id}-agent`}
                value={a.userId}
                checked={userId === a.userId}
                disabled={!a.available}
                onChange={() => {
                  setUserId(a.userId);
                  setError(null);
                }}
              />
              {'presence' in a && <span className={`presence-dot presence-${a.presence}`} aria-hidden="true" />} {a.label}
            </label>
          ))}
        </fieldset>
      )}
      {queues.status === 'error' && kind === 'queue' && (
        <p className="inline-error small" role="alert">
          {queues.error}{' '}
          <button type="button" className="link-button" onClick={() => void loadQueues(true)}>
            Try again
          </button>
        </p>
      )}
      {!anyAvailable && kind === 'queue' && targets !== null && (
        <p className="muted small" data-testid="transfer-no-agents">
          No other agent can take it right now; transfer to a queue.
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
        {consult && kind === 'agent' && (
          <button type="button" className="button-secondary" data-testid="consult-start" onClick={onConsult} disabled={!live || consultOpen || !chosen?.available}>
            Consult first
          </button>
        )}
        <button type="button" className="button-secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
