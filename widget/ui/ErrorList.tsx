export function ErrorList({ errors, onDismiss }: { errors: ReadonlyArray<{ id: number; text: string }>; onDismiss(id: number): void }) {
  if (errors.length === 0) return null;
  return (
    <ul className="widget-errors">
      {errors.map((e) => (
        <li key={e.id} className="widget-error" data-testid="widget-error" role="alert">
          <span>{e.text}</span>
          <button type="button" className="link" aria-label="Dismiss" onClick={() => onDismiss(e.id)}>
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
