import { type OrgPattern, type RedactionEntity, type RedactionPolicy, OrgPatternInput } from '../../../shared';
import { PolicyLoadError } from './PolicyLoadError';
import { fetchRedactionPolicy, saveRedactionPolicy } from './redaction-policy-api';
import { usePolicyForm } from './use-policy-form';
import './admin.css';

const ENTITIES: { entity: RedactionEntity; label: string; hint: string }[] = [
  { entity: 'card', label: 'Payment card numbers', hint: 'Shown as [card •••• 4242]: the last four digits only.' },
  { entity: 'securityCode', label: 'Card security codes', hint: 'When the words around say so ("cvv", "the 3 digits on the back").' },
  { entity: 'expiry', label: 'Card expiry dates', hint: 'Next to a card number or words like "exp", "expires".' },
  { entity: 'iban', label: 'Bank account numbers (IBAN)', hint: 'Checked by country length and checksum; shown as [IBAN •••• 1234].' },
  { entity: 'ssn', label: 'US social security numbers', hint: 'Written 123-45-6789, or 9 digits next to "ssn".' },
  { entity: 'email', label: 'E-mail addresses inside messages', hint: 'Off by default: customers often give their address on purpose.' },
  { entity: 'phone', label: 'Phone numbers inside messages', hint: 'Off by default.' },
];

/** The first problem with an org pattern, checked here as the server will (RE2 syntax, label). */
function patternProblem(p: OrgPattern): string | null {
  const check = OrgPatternInput.safeParse(p);
  return check.success ? null : (check.error.issues[0]?.message ?? 'not valid');
}

/**
 * The org's redaction policy, for admins: which identifiers are removed from every chat message,
 * note and wrap-up before anything stores or shows them, and the org's own identifiers (a label and
 * an RE2 pattern each, e.g. a national ID). The server audits each change and applies it to the
 * next message.
 */
export function RedactionPolicyScreen() {
  const form = usePolicyForm<RedactionPolicy>({ fetch: fetchRedactionPolicy, save: saveRedactionPolicy, savedText: 'Saved. It applies to the next message.' });
  const { load, draft, setDraft, changed, saving, result } = form;

  if (load.status === 'loading' || !draft) {
    if (load.status === 'error') return <PolicyLoadError what="redaction policy" testId="redaction-policy-load-error" message={load.message} retry={form.retry} />;
    return <p className="muted">Loading the redaction policy…</p>;
  }
  const current = draft;
  const problems = current.orgPatterns.map(patternProblem);
  const setPattern = (i: number, next: Partial<OrgPattern>) =>
    setDraft({ ...current, orgPatterns: current.orgPatterns.map((p, k) => (k === i ? { ...p, ...next } : p)) });

  return (
    <form
      className="policy-form"
      data-testid="redaction-policy"
      onSubmit={(e) => {
        e.preventDefault();
        void form.save();
      }}
    >
      <fieldset className="policy-fieldset">
        <legend>Removed from every message, note and wrap-up before it is stored or shown</legend>
        {ENTITIES.map(({ entity, label, hint }) => (
          <label key={entity} className="policy-toggle">
            <input
              type="checkbox"
              data-testid={`redaction-entity-${entity}`}
              checked={current.entities[entity]}
              onChange={(e) => setDraft({ ...current, entities: { ...current.entities, [entity]: e.target.checked } })}
            />
            <span>
              <strong>{label}</strong>
              <span className="muted small">{hint}</span>
            </span>
          </label>
        ))}
      </fieldset>

      <fieldset className="policy-fieldset" data-testid="redaction-patterns">
        <legend>Your organisation&apos;s own identifiers</legend>
        {current.orgPatterns.length === 0 && <span className="muted small">None. Add one for an identifier you never want kept, e.g. a national ID.</span>}
        {current.orgPatterns.map((p, i) => (
          <div key={i} className="redaction-pattern" data-testid="redaction-pattern">
            <label>
              <span className="small">Shown as</span>
              <input type="text" value={p.label} aria-label="Label" data-testid="redaction-pattern-label" onChange={(e) => setPattern(i, { label: e.target.value })} />
            </label>
            <label>
              <span className="small">Pattern (RE2)</span>
              <input type="text" value={p.pattern} aria-label="Pattern" data-testid="redaction-pattern-regex" onChange={(e) => setPattern(i, { pattern: e.target.value })} />
            </label>
            <button type="button" className="button-secondary" onClick={() => setDraft({ ...current, orgPatterns: current.orgPatterns.filter((_, k) => k !== i) })}>
              Remove
            </button>
            {problems[i] && (
              <span className="inline-error small" role="alert" data-testid="redaction-pattern-error">
                {problems[i]}
              </span>
            )}
          </div>
        ))}
        <button
          type="button"
          className="button-secondary"
          data-testid="redaction-pattern-add"
          onClick={() => setDraft({ ...current, orgPatterns: [...current.orgPatterns, { label: 'national ID', pattern: '' }] })}
        >
          Add an identifier
        </button>
      </fieldset>

      <div className="policy-actions">
        <button type="submit" className="button-primary" data-testid="redaction-policy-save" disabled={saving || !changed || problems.some(Boolean)}>
          {saving ? 'Saving…' : 'Save redaction policy'}
        </button>
        {result && (
          <span className={result.tone === 'ok' ? 'muted small' : 'inline-error small'} role="status" data-testid="redaction-policy-status">
            {result.text}
          </span>
        )}
      </div>
      <p className="muted small">Every change is kept in the audit log with who made it (the pattern labels, not the patterns).</p>
    </form>
  );
}
