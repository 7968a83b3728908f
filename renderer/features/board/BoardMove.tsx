import { type FormEvent, useEffect, useId, useMemo, useState } from 'react';
import { type BoardInteraction } from '../../../shared';
import { useAppStore } from '../../app/store-context';
import { selectIsLive } from '../connection/connection-slice';
import { agentChoices } from '../workspace/TransferChooser';
import { selectQueues } from '../workspace/workspace-slice';

/**
 * Supervisors move a waiting or live interaction from the board to another queue or to a named
 * agent (interaction.move): a live one leaves its agent like a transfer, a waiting one changes queue
 * or goes to that agent first. Not for interactions in wrap-up.
 */
export function BoardMove({ item, currentAgentId }: { item: BoardInteraction; currentAgentId: string | null }) {
  const [open, setOpen] = useState(false);
  if (item.status === 'wrapup' || item.status === 'closed' || item.status === 'abandoned') return null;
  return (
    <span className="board-move">
      <button type="button" className="link-button" data-testid="board-move" data-interaction-id={item.id} onClick={() => setOpen((v) => !v)} aria-expanded={open}>
        Move {item.kind}
      </button>
      {open && <BoardMoveForm item={item} currentAgentId={currentAgentId} onClose={() => setOpen(false)} />}
    </span>
  );
}

function BoardMoveForm({ item, currentAgentId, onClose }: { item: BoardInteraction; currentAgentId: string | null; onClose(): void }) {
  const queues = useAppStore(selectQueues);
  const loadQueues = useAppStore((s) => s.loadQueues);
  const board = useAppStore((s) => s.board);
  const roster = useAppStore((s) => s.roster);
  const move = useAppStore((s) => s.moveInteraction);
  const live = useAppStore(selectIsLive);
  const agents = useMemo(() => agentChoices(board, roster, currentAgentId), [board, roster, currentAgentId]);
  const [target, setTarget] = useState('');
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  useEffect(() => {
    void loadQueues();
  }, [loadQueues]);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const [kind, value] = target.split(':');
    if (!value) return setError('Choose a queue or an agent.');
    const sent = move(item.id, kind === 'queue' ? { kind: 'queue', queueId: value } : { kind: 'agent', userId: value });
    if (sent) onClose();
  };

  return (
    <form className="board-move-form" onSubmit={onSubmit} aria-label={`Move ${item.kind}`}>
      <label className="field compact" htmlFor={`${id}-to`}>
        <span>Move to</span>
      </label>
      <select
        id={`${id}-to`}
        data-testid="board-move-target"
        value={target}
        onChange={(e) => {
          setTarget(e.target.value);
          setError(null);
        }}
      >
        <option value="">Choose…</option>
        <optgroup label="Queues">
          {queues.list.map((q) => (
            <option key={q.id} value={`queue:${q.id}`}>
              {q.name}
            </option>
          ))}
        </optgroup>
        <optgroup label="Agents">
          {agents.map((a) => (
            <option key={a.userId} value={`agent:${a.userId}`} disabled={!a.available}>
              {a.label}
            </option>
          ))}
        </optgroup>
      </select>
      <button type="submit" className="button-accent" data-testid="board-move-submit" disabled={!live}>
        Move
      </button>
      <button type="button" className="button-secondary" onClick={onClose}>
        Cancel
      </button>
      {error && (
        <p className="inline-error small" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
