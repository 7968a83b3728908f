import { useAppStore } from '../../app/store-context';
import { RectFields } from './RectFields';
import { SharePreview } from './SharePreview';
import { selectSharer } from './share-slice';

const PEER_WORDS: Record<string, string> = { connecting: 'connecting…', connected: 'watching', closed: 'disconnected', failed: 'connection failed' };

function SourcePicker() {
  const sources = useAppStore((s) => s.share.sources);
  const chooseSource = useAppStore((s) => s.chooseSource);
  if (!sources) return <p className="muted">Opening the picker…</p>;
  if (sources.length === 0) return <p className="muted">There is no screen or window to share.</p>;
  return (
    <ul className="share-sources" aria-label="Screens and windows">
      {sources.map((s) => (
        <li key={s.id}>
          <button type="button" className="share-source" data-testid="share-source" onClick={() => void chooseSource(s.id)}>
            {s.thumbnail ? <img src={s.thumbnail} alt="" /> : <span className="share-source-blank" aria-hidden="true" />}
            <span className="share-source-name">
              {s.kind === 'screen' ? 'Screen: ' : ''}
              {s.name}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

function ViewerPicker() {
  const { candidates, chosen, stage, own } = useAppStore(selectSharer);
  const toggleViewer = useAppStore((s) => s.toggleViewer);
  const confirmViewers = useAppStore((s) => s.confirmViewers);
  const live = stage === 'live';
  const onServer = new Set(own?.viewers.map((v) => v.userId) ?? []);
  const changed = live && (chosen.length !== onServer.size || chosen.some((id) => !onServer.has(id)));
  return (
    <fieldset className="share-viewers">
      <legend>Who may watch</legend>
      {candidates.length === 0 && <p className="muted small">Loading the people of your organisation…</p>}
      <ul>
        {candidates.map((c) => (
          <li key={c.userId}>
            <label>
              <input type="checkbox" data-testid="share-viewer" value={c.userId} checked={chosen.includes(c.userId)} onChange={(e) => toggleViewer(c.userId, e.target.checked)} />
              {c.displayName} <span className="muted small">({c.role})</span>
            </label>
          </li>
        ))}
      </ul>
      <button type="button" className="button-secondary button-small" data-testid="share-confirm" onClick={confirmViewers} disabled={live && !changed}>
        {live ? 'Apply viewers' : 'Confirm viewers'}
      </button>
      <span className="muted small" data-testid="share-viewers-summary">
        {live ? `${onServer.size} may watch${changed ? ' (changes not applied yet)' : ''}` : `${chosen.length} chosen; they are told when you start.`}
      </span>
    </fieldset>
  );
}

function Watchers() {
  const own = useAppStore((s) => s.share.own);
  const peers = useAppStore((s) => s.share.peers);
  const revokeViewer = useAppStore((s) => s.revokeViewer);
  if (!own) return null;
  return (
    <section className="share-watchers-box" aria-label="Watching now">
      <h3>Watching now</h3>
      <ul data-testid="share-watchers">
        {own.watchers.map((w) => (
          <li key={w.userId} data-testid="share-watcher" data-user={w.username}>
            <span>{w.displayName}</span>
            <span className="muted small">{PEER_WORDS[peers[w.userId] ?? 'connecting']}</span>
            <button type="button" className="button-danger button-small" data-testid="share-revoke" onClick={() => revokeViewer(w.userId)}>
              Remove
            </button>
          </li>
        ))}
      </ul>
      {own.watchers.length === 0 && <p className="muted small">Nobody is watching yet.</p>}
    </section>
  );
}

/** The sharer's side: pick a source, set region, masks and viewers on a live preview, start, blank, stop. */
export function SharerPanel() {
  const s = useAppStore(selectSharer);
  const a = {
    openShare: useAppStore((st) => st.openShare),
    cancelShare: useAppStore((st) => st.cancelShare),
    setSourceSize: useAppStore((st) => st.setSourceSize),
    setRegion: useAppStore((st) => st.setRegion),
    addMask: useAppStore((st) => st.addMask),
    setMask: useAppStore((st) => st.setMask),
    removeMask: useAppStore((st) => st.removeMask),
    startShare: useAppStore((st) => st.startShare),
    setBlanked: useAppStore((st) => st.setBlanked),
    stopShare: useAppStore((st) => st.stopShare),
  };

  if (s.stage === 'idle') {
    return (
      <div className="share-idle">
        <button type="button" className="button-secondary" data-testid="share-open" onClick={() => void a.openShare()}>
          Share screen
        </button>
        {s.error && (
          <span className="inline-error" role="alert" data-testid="share-error">
            {s.error}
          </span>
        )}
      </div>
    );
  }

  const live = s.stage === 'live';
  const editing = s.stage === 'editing' || s.stage === 'starting' || live;
  return (
    <section className={`card share-panel${live ? ' share-live' : ''}`} aria-label="Share your screen" data-testid="share-panel" data-stage={s.stage} data-pipeline={s.pipelineMode ?? undefined} data-transport={s.transport ?? undefined}>
      <header className="card-header">
        <h2>{live ? (s.blanked ? 'Sharing paused' : 'Sharing your screen') : 'Share your screen'}</h2>
        {live && (
          <span className="pill share-live-pill" data-testid="share-live">
            Live
          </span>
        )}
        {live && s.transport && (
          <span className="muted small" data-testid="share-transport" title="How the picture reaches viewers">
            {s.transport === 'sfu' ? 'sent once, via the media server' : 'one connection per viewer'}
          </span>
        )}
      </header>
      {s.error && (
        <p className="inline-error" role="alert" data-testid="share-error">
          {s.error}
        </p>
      )}
      {s.protection && !s.protection.ownWindowsHidden && (
        <p className="share-note" data-testid="share-protection-note">
          {s.protection.reason}
        </p>
      )}
      {s.stage === 'choosing' && <SourcePicker />}
      {s.stage === 'capturing' && <p className="muted">Waiting for the screen…</p>}
      {editing && (
        <div className="share-editor">
          <div className="share-editor-main">
            <SharePreview
              stream={s.previewStream}
              source={s.sourceSize}
              region={s.region}
              masks={s.masks}
              onSourceSize={a.setSourceSize}
              onRegion={a.setRegion}
              onMask={(rect) => a.addMask(rect)}
            />
            <p className="muted small">
              Viewers see only the outlined region, with the black boxes covered, at its real size
              {s.sourceSize ? ` (source ${s.sourceSize.width}×${s.sourceSize.height})` : ''}. Changes apply from the next frame.
            </p>
          </div>
          <div className="share-editor-side">
            <fieldset className="share-region">
              <legend>Region (source pixels)</legend>
              <RectFields prefix="share-region" rect={s.region} onChange={a.setRegion} />
            </fieldset>
            <fieldset className="share-masks">
              <legend>Masks</legend>
              <ul>
                {s.masks.map((m, i) => (
                  <li key={i} data-testid="share-mask">
                    <RectFields prefix="share-mask" rect={m} onChange={(r) => a.setMask(i, r)} />
                    <button type="button" className="link-button" data-testid="share-mask-remove" onClick={() => a.removeMask(i)}>
                      Remove
                    </button>
                  </li>
                ))}
              </ul>
              <button type="button" className="button-secondary button-small" data-testid="share-mask-add" onClick={() => a.addMask()}>
                Add mask
              </button>
            </fieldset>
            <ViewerPicker />
            {live && <Watchers />}
            <div className="share-actions">
              {!live && (
                <button type="button" className="button-primary" data-testid="share-start" disabled={s.stage !== 'editing' || !s.sourceSize} onClick={() => void a.startShare()}>
                  {s.stage === 'starting' ? 'Starting…' : 'Start sharing'}
                </button>
              )}
              {live && (
                <button type="button" className="button-toggle" aria-pressed={s.blanked} data-testid="share-blank" onClick={() => a.setBlanked(!s.blanked)}>
                  {s.blanked ? 'Show picture' : 'Pause picture'}
                </button>
              )}
              {live ? (
                <button type="button" className="button-danger" data-testid="share-stop" onClick={a.stopShare}>
                  Stop sharing
                </button>
              ) : (
                <button type="button" className="button-ghost" data-testid="share-cancel" onClick={a.cancelShare}>
                  Cancel
                </button>
              )}
            </div>
          </div>
        </div>
      )}
      {s.stage === 'choosing' && (
        <div className="share-actions">
          <button type="button" className="button-ghost" data-testid="share-cancel" onClick={a.cancelShare}>
            Cancel
          </button>
        </div>
      )}
    </section>
  );
}
