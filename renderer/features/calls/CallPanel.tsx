import { useState } from 'react';
import { type SensitiveMark } from '../../../shared';
import { formatDuration } from '../../app/format';
import { useAppStore } from '../../app/store-context';
import { useNow } from '../../app/use-now';
import { selectIsLive } from '../connection/connection-slice';
import { customerLabel } from '../offers/offer-logic';
import { MonitorNotice } from '../monitoring/MonitorNotice';
import { RecordingIndicator } from '../recording/RecordingControls';
import { PauseBanner, SecurePauseButton } from '../secure-pause/SecurePauseControls';
import { SensitiveMarkControl } from '../history/SensitiveMarkControl';
import { TransferChooser } from '../workspace/TransferChooser';
import { StreamAudio } from '../devices/StreamAudio';
import { callStateLine, isTerminal, talkTimeMs } from './call-machine';
import { ChildFlagButton } from './ChildFlagButton';
import { ConsultPanel } from './ConsultPanel';
import { type CallEntry, selectCallList } from './calls-slice';
import './calls.css';

function CallCard({ call }: { call: CallEntry }) {
  const toggleMute = useAppStore((s) => s.toggleMute);
  const toggleHold = useAppStore((s) => s.toggleHold);
  const hangUp = useAppStore((s) => s.hangUp);
  const removeCall = useAppStore((s) => s.removeCall);
  const hasWrapup = useAppStore((s) => s.wrapups.byId[call.id] !== undefined);
  const live = useAppStore(selectIsLive);
  const now = useNow(1000);
  const [transferOpen, setTransferOpen] = useState(false);
  const consulting = useAppStore((s) => s.consult?.view.interactionId === call.id);
  // The server's interaction.updated carries the mark; the answer to our own click shows it sooner.
  const [markEcho, setMarkEcho] = useState<SensitiveMark | null>(null);
  const sensitive = call.summary.sensitive ?? markEcho;
  const line = callStateLine(call);
  const talk = talkTimeMs(call, now);
  const over = isTerminal(call.phase);
  const who = customerLabel(call.summary.customer);

  return (
    <section className={`card call-panel tone-${line.tone}`} data-testid="call-panel" data-phase={call.phase} data-interaction-id={call.id} aria-label={`Call with ${who}`} tabIndex={-1}>
      <header className="call-header">
        <span className="kind-badge kind-call">Call</span>
        <div className="call-who">
          <h3 data-testid="call-customer">{who}</h3>
          <p className="muted small">{call.summary.queueName}</p>
        </div>
        <div className="call-status">
          <p className="call-state" data-testid="call-state" data-state={call.held && call.phase === 'connected' ? 'on_hold' : call.phase} data-reconnecting={call.reconnecting ? 'true' : undefined} role="status">
            <span className="call-dot" aria-hidden="true" />
            {line.label}
          </p>
          <p className="call-timer" data-testid="call-timer" aria-label="Talk time">
            {talk === null ? '0s' : formatDuration(talk)}
          </p>
          <RecordingIndicator interactionId={call.id} />
          <MonitorNotice interactionId={call.id} />
        </div>
      </header>

      <div className="call-controls">
        <button
          type="button"
          className="button-toggle"
          data-testid="call-mute"
          aria-pressed={call.muted}
          onClick={() => toggleMute(call.id)}
          disabled={over || call.phase === 'starting'}
        >
          {call.muted ? 'Unmute' : 'Mute'}
        </button>
        <button
          type="button"
          className="button-toggle"
          data-testid="call-hold"
          aria-pressed={call.held}
          onClick={() => toggleHold(call.id)}
          disabled={call.phase !== 'connected' || !live || consulting}
        >
          {call.held ? 'Resume' : 'Hold'}
        </button>
        <SecurePauseButton interactionId={call.id} disabled={over} />
        <button type="button" className="button-secondary" data-testid="call-transfer" onClick={() => setTransferOpen((v) => !v)} disabled={over || consulting}>
          Transfer
        </button>
        {!over || call.summary.status === 'active' ? (
          <button type="button" className="button-danger" data-testid="call-hangup" onClick={() => hangUp(call.id)}>
            Hang up
          </button>
        ) : (
          !hasWrapup && (
            <button type="button" className="button-secondary" data-testid="call-dismiss" onClick={() => removeCall(call.id)}>
              Close
            </button>
          )
        )}
      </div>
      <PauseBanner interactionId={call.id} />
      <SensitiveMarkControl interactionId={call.id} mark={sensitive} onMarked={setMarkEcho} />
      <ChildFlagButton interactionId={call.id} childProtected={call.summary.childProtected === true} over={over} />
      {transferOpen && !over && !consulting && <TransferChooser interactionId={call.id} consult onClose={() => setTransferOpen(false)} />}
      {call.held && !over && <p className="muted small">The customer hears the hold tone. Neither of you can hear the other.</p>}
      {/* Hold silences the customer here too, so neither side hears the other. */}
      <StreamAudio stream={call.remoteStream} muted={call.held} testId="call-audio" />
    </section>
  );
}

/** Live calls (normally at most one). */
export function CallPanels() {
  const calls = useAppStore(selectCallList);
  return (
    <>
      <ConsultPanel />
      {calls.map((call) => (
        <CallCard key={call.id} call={call} />
      ))}
    </>
  );
}
