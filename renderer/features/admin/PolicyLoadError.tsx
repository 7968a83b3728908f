/** An admin policy that could not be loaded: why, what to do, and a way to try again. */
export function PolicyLoadError({ what, testId, message, retry }: { what: string; testId: string; message: string; retry(): void }) {
  return (
    <div className="policy-actions">
      <p className="inline-error" role="alert" data-testid={testId}>
        The {what} could not be loaded: {message} Check the connection to the server, then try again.
      </p>
      <button type="button" className="button-secondary" onClick={retry}>
        Try again
      </button>
    </div>
  );
}
