import { type StoreApi } from 'zustand/vanilla';
import { type SubjectMatch } from '../../../shared/api/privacy';
import { formatFullDateTime } from '../../app/format';
import { countsText, sumCounts } from './erase-summary';
import { type IdentifierKind, KIND_LABELS, type KindChoice, guessKind } from './identifier';
import { type PrivacyActions, type PrivacyState } from './privacy-store';
import { useStore } from 'zustand';

type Store = StoreApi<PrivacyState & PrivacyActions>;

const KINDS = Object.keys(KIND_LABELS) as IdentifierKind[];

function MatchRow({ match, checked, toggle }: { match: SubjectMatch; checked: boolean; toggle(): void }) {
  return (
    <li className="privacy-match" data-testid="privacy-match" data-interaction-id={match.interactionId} data-live={match.live ? 'true' : 'false'}>
      <label className="privacy-match-pick">
        <input type="checkbox" checked={checked} onChange={toggle} data-testid="privacy-match-pick" aria-label={`Include ${match.interactionId}`} />
        <span>
          <strong>{match.kind === 'call' ? 'Call' : 'Chat'}</strong> · {formatFullDateTime(match.createdAt)} · {match.queueName ?? 'no queue'} · agent {match.agentName ?? 'none'}
          {match.live && (
            <span className="privacy-live" data-testid="privacy-match-live">
              in progress
            </span>
          )}
        </span>
      </label>
      <span className="small">
        {match.customerName ?? 'no name'}
        {match.customerEmail && ` · ${match.customerEmail}`} · <span className="muted">found by {match.matchedBy.join(', ')}</span>
      </span>
      <span className="muted small" data-testid="privacy-match-counts">
        {countsText(sumCounts([match.counts]))}
      </span>
      <span className="muted small privacy-id">{match.interactionId}</span>
    </li>
  );
}

/** One box for whatever identifies the person (the kind is guessed, or picked), and what it found. */
export function SubjectSearch({ store }: { store: Store }) {
  const text = useStore(store, (s) => s.text);
  const choice = useStore(store, (s) => s.choice);
  const found = useStore(store, (s) => s.found);
  const selected = useStore(store, (s) => s.selected);
  const { setText, setChoice, search, toggle } = store.getState();
  const guessed = text.trim() ? guessKind(text) : null;

  return (
    <div className="privacy-search">
      <form
        className="privacy-search-form"
        onSubmit={(e) => {
          e.preventDefault();
          void search();
        }}
      >
        <label className="privacy-search-box">
          <span className="small">E-mail, phone number, name or interaction id</span>
          <input type="search" value={text} onChange={(e) => setText(e.target.value)} data-testid="privacy-search" autoComplete="off" spellCheck={false} />
        </label>
        <label>
          <span className="small">Search as</span>
          <select value={choice} onChange={(e) => setChoice(e.target.value as KindChoice)} data-testid="privacy-search-kind">
            <option value="auto">{guessed ? `Detect (${KIND_LABELS[guessed].toLowerCase()})` : 'Detect'}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button-primary" data-testid="privacy-search-submit" disabled={found.status === 'searching'}>
          {found.status === 'searching' ? 'Searching…' : 'Search'}
        </button>
      </form>

      {found.status === 'error' && (
        <p className="inline-error" role="alert" data-testid="privacy-search-error">
          {found.message}
        </p>
      )}
      {found.status === 'ready' && (
        <div data-testid="privacy-results" data-count={found.result.matches.length}>
          <p className="muted small" role="status">
            {found.result.matches.length === 0
              ? `Nothing found for this ${KIND_LABELS[found.searched.kind].toLowerCase()}. Check the spelling, or search by another identifier.`
              : `${found.result.matches.length} interaction${found.result.matches.length === 1 ? '' : 's'} found by ${KIND_LABELS[found.searched.kind].toLowerCase()} in ${Math.round(found.result.tookMs)} ms. Check they are the right person; untick any that are not.`}
          </p>
          {found.result.matches.length > 0 && (
            <ul className="privacy-matches">
              {found.result.matches.map((m) => (
                <MatchRow key={m.interactionId} match={m} checked={selected.has(m.interactionId)} toggle={() => toggle(m.interactionId)} />
              ))}
            </ul>
          )}
          {found.result.elsewhere.some((c) => c.count > 0) && (
            <p className="muted small" data-testid="privacy-elsewhere">
              Also mentioned outside these interactions: {countsText(sumCounts([found.result.elsewhere]))}.
            </p>
          )}
        </div>
      )}
    </div>
  );
}
