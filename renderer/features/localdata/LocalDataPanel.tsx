import { useState } from 'react';
import { useAppStore } from '../../app/store-context';
import { readLocalDataInfo } from '../../data/local-data-info';
import { formatDateTime } from '../../app/format';
import { selectLocalData } from './localdata-slice';
import { useLocal } from './use-local';

const KEEPING: Record<string, string> = {
  os: 'Encrypted (AES-256-GCM); the key is sealed by your operating system’s keychain.',
  basic_text: 'Encrypted (AES-256-GCM), but the key is stored with a fixed password because no keyring is available.',
  browser_profile: 'Encrypted (AES-256-GCM) with a key this browser profile keeps and scripts cannot read out.',
};

function bytes(n: number | null): string {
  if (n === null) return 'unknown';
  if (n < 1024 * 1024) return `${Math.ceil(n / 1024)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/** What Veildesk keeps on this computer for the signed-in user, and the button that removes it. */
export function LocalDataPanel() {
  const local = useAppStore(selectLocalData);
  const wipe = useAppStore((s) => s.wipeLocalData);
  const [wiping, setWiping] = useState(false);
  const info = useLocal((session) => readLocalDataInfo(session.db), []);
  const problems = useLocal((session) => session.db.problems.orderBy('id').reverse().toArray(), []);
  const dismiss = (id: number | undefined) => id !== undefined && void local.session?.dismissProblem(id);

  const onWipe = async () => {
    setWiping(true);
    try {
      await wipe();
    } finally {
      setWiping(false);
    }
  };

  return (
    <section className="card local-data" data-testid="local-data" aria-labelledby="local-data-title">
      <div className="card-header">
        <h2 id="local-data-title">Local data</h2>
        <p className="muted small">What Veildesk keeps on this computer so history works offline.</p>
      </div>
      {local.status === 'wiped' && (
        <p data-testid="local-data-wiped">Local data removed. Nothing is kept on this computer until you sign in again.</p>
      )}
      {local.status === 'error' && <p className="inline-error">{local.error}</p>}
      {(local.status === 'locked' || local.status === 'unreadable') && (
        <p className="inline-error">Your local data is closed and untouched; the banner at the top says why and what to do.</p>
      )}
      {local.status === 'ready' && local.session && (
        <>
          <p className="small" data-testid="local-data-protection">
            {KEEPING[local.session.keeping]}
          </p>
          {local.session.warning && (
            <p className="inline-error small" role="alert" data-testid="local-data-warning">
              {local.session.warning}
            </p>
          )}
          {info && (
            <dl className="detail-facts" data-testid="local-data-counts">
              <div><dt>Interactions</dt><dd data-testid="local-count-interactions">{info.counts.interactions.toLocaleString('en-US')}</dd></div>
              <div><dt>Messages</dt><dd data-testid="local-count-messages">{info.counts.messages.toLocaleString('en-US')}</dd></div>
              <div><dt>Contacts</dt><dd data-testid="local-count-contacts">{info.counts.contacts.toLocaleString('en-US')}</dd></div>
              <div><dt>Notes</dt><dd data-testid="local-count-notes">{info.counts.notes.toLocaleString('en-US')}</dd></div>
              <div><dt>Wrap-ups</dt><dd data-testid="local-count-wrapups">{info.counts.wrapups.toLocaleString('en-US')}</dd></div>
              <div><dt>Changes waiting</dt><dd data-testid="local-count-waiting">{info.counts.waiting.toLocaleString('en-US')}</dd></div>
              <div><dt>Size on disk</dt><dd data-testid="local-size">{bytes(info.originBytes)}</dd></div>
              <div><dt>Oldest item</dt><dd data-testid="local-oldest">{info.oldest ? formatDateTime(info.oldest) : '—'}</dd></div>
              <div><dt>Kept for</dt><dd>{info.retentionDays ? `${info.retentionDays} days (your organisation’s policy)` : 'until removed'}</dd></div>
            </dl>
          )}
          {problems && problems.length > 0 && (
            <>
              <h3>Sync notices</h3>
              <ul className="notices" data-testid="sync-problems">
                {problems.map((p) => (
                  <li key={p.id} className={`notice ${p.kind === 'rejected' ? 'notice-error' : 'notice-info'}`} data-testid="sync-problem">
                    <span>{p.message}</span>
                    <button type="button" className="link-button" aria-label="Dismiss" onClick={() => dismiss(p.id)}>
                      ×
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
          {info && info.counts.waiting > 0 && (
            <p className="small inline-error">{info.counts.waiting} changes have not reached the server yet; removing local data deletes them.</p>
          )}
          <p className="small muted">Removing local data also removes any recorded call audio of yours still waiting to be uploaded.</p>
          <button type="button" className="button-secondary" data-testid="local-wipe" onClick={() => void onWipe()} disabled={wiping}>
            {wiping ? 'Removing…' : 'Remove local data from this computer'}
          </button>
        </>
      )}
    </section>
  );
}

/** Sidebar button that shows or hides the Local data panel. */
export function LocalDataToggle({ open, onToggle }: { open: boolean; onToggle(): void }) {
  return (
    <button type="button" className={`nav-item${open ? ' active' : ''}`} data-testid="nav-local-data" aria-pressed={open} onClick={onToggle}>
      Local data
    </button>
  );
}
