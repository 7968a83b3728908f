import type { ConsentSettingsView } from '../lib/consent-view';
import { formatDate } from '../lib/notices';

/**
 * The start form's privacy notice (version and link) and the org's purposes, each an unticked box:
 * nothing is agreed to unless the customer ticks it.
 */
export function ConsentChoices(props: { settings: ConsentSettingsView; ticked: readonly string[]; onChange(ticked: string[]): void; /** The notice's effective date, once published versions carry one. */ effectiveDate?: string | null }) {
  const { notice, purposes } = props.settings;
  if (!notice) return null;
  return (
    <fieldset className="widget-consent" data-testid="widget-consent">
      <legend>Your privacy</legend>
      <p className="widget-hint" data-testid="widget-privacy-notice">
        Read our{' '}
        <a href={notice.url} target="_blank" rel="noopener noreferrer" data-testid="widget-privacy-link">
          privacy notice
        </a>{' '}
        (version {notice.version}
        {props.effectiveDate ? `, in effect since ${formatDate(props.effectiveDate)}` : ''}).{purposes.length > 0 ? ' You may also agree to the following; each is optional and can be withdrawn later.' : ''}
      </p>
      {purposes.map((p) => (
        <label key={p.id} className="widget-check">
          <input
            type="checkbox"
            data-testid={`widget-consent-${p.id}`}
            checked={props.ticked.includes(p.id)}
            onChange={(e) => props.onChange(e.target.checked ? [...props.ticked, p.id] : props.ticked.filter((id) => id !== p.id))}
          />
          <span>{p.label}</span>
        </label>
      ))}
    </fieldset>
  );
}
