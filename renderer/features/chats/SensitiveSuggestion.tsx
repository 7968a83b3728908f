import { SENSITIVE_CATEGORY_LABELS, type SensitiveCategory } from '../../../shared';

/**
 * The org's keywords suggest a sensitive mark (issue 15): a quiet line above the conversation, never
 * a dialog. "Mark sensitive" opens the usual mark flow on the category; "Dismiss" hides it. Nothing
 * is marked until the agent confirms there.
 */
export function SensitiveSuggestion({ category, onMark, onDismiss }: { category: SensitiveCategory; onMark(): void; onDismiss(): void }) {
  return (
    <p className="sensitive-suggestion small" role="status" data-testid="sensitive-suggestion" data-category={category}>
      This conversation may hold sensitive data ({SENSITIVE_CATEGORY_LABELS[category]}).{' '}
      <button type="button" className="button-secondary small" data-testid="sensitive-suggestion-mark" onClick={onMark}>
        Mark sensitive…
      </button>{' '}
      <button type="button" className="button-ghost small" data-testid="sensitive-suggestion-dismiss" onClick={onDismiss}>
        Dismiss
      </button>
    </p>
  );
}
