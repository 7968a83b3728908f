import { type AgentBoardRow } from '../../../shared';
import { useAppStore } from '../../app/store-context';
import { selectIsLive } from '../connection/connection-slice';
import { StreamAudio } from '../devices/StreamAudio';
import { LISTEN_LABELS, MODE_LABELS, monitorableCalls } from './monitoring-logic';
import { type ListenEntry, selectListening } from './monitoring-slice';
import './monitoring.css';

/** Listen, whisper, barge: only the modes the org's policy lets this listener use. */
function ModeSwitch({ entry }: { entry: ListenEntry }) {
  const setMode = useAppStore((s) => s.setMonitorMode);
  if (entry.modes.length < 2) return null;
  return (
    <span className="monitor-modes" role="group" aria-label={`What you do on ${entry.agentName}'s call`} data-testid="monitor-modes" data-mode={entry.mode}>
      {entry.modes.map((mode) => (
        <button
          key={mode}
          type="button"
          className="button-ghost small"
          data-testid={`monitor-mode-${mode}`}
          aria-pressed={entry.mode === mode}
          disabled={entry.status === 'starting'}
          onClick={() => setMode(entry.interactionId, mode)}
        >
          {MODE_LABELS[mode]}
        </button>
      ))}
    </span>
  );
}

function Listening({ entry }: { entry: ListenEntry }) {
  const stop = useAppStore((s) => s.stopMonitoring);
  return (
    <span className="monitor-listening" data-testid="monitor-status" data-status={entry.status} data-mode={entry.mode}>
      <span className={`pill monitor-${entry.status}`}>{LISTEN_LABELS[entry.status]}</span>
      <ModeSwitch entry={entry} />
      <button type="button" className="button-ghost small" data-testid="monitor-stop" onClick={() => stop(entry.interactionId)}>
        Stop listening
      </button>
      <StreamAudio stream={entry.stream} testId="monitor-audio" />
    </span>
  );
}

function CallMonitor({ interactionId, agentName }: { interactionId: string; agentName: string }) {
  const entry = useAppStore(selectListening(interactionId));
  const start = useAppStore((s) => s.startMonitoring);
  const live = useAppStore(selectIsLive);
  if (entry) return <Listening entry={entry} />;
  return (
    <button type="button" className="button-ghost small" data-testid="monitor-start" data-interaction-id={interactionId} disabled={!live} onClick={() => start(interactionId, agentName)}>
      Listen
    </button>
  );
}

/** Board cell: "Listen" per connected call of the agent; while listening, the state, the mode switch (whisper, barge), Stop and the audio. */
export function MonitorControls({ row }: { row: AgentBoardRow }) {
  const calls = monitorableCalls(row);
  if (calls.length === 0) return null;
  return (
    <>
      {calls.map((id) => (
        <CallMonitor key={id} interactionId={id} agentName={row.username} />
      ))}
    </>
  );
}
