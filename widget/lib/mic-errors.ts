/** Turns a getUserMedia failure into what the customer should do about it. */
export function microphoneErrorMessage(err: unknown): string {
  const name = typeof err === 'object' && err !== null && 'name' in err ? String((err as { name: unknown }).name) : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Microphone access was blocked. Allow the microphone for this page (the icon in the address bar), then try again — or start a chat instead.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No microphone was found. Connect one, then try again — or start a chat instead.';
    case 'NotReadableError':
    case 'AbortError':
      return 'Your microphone could not be started; another app may be using it. Close that app, then try again.';
    default:
      return 'The microphone could not be started. Check your browser settings, then try again — or start a chat instead.';
  }
}

export const INSECURE_PAGE_MESSAGE = 'Calls need a secure (https) page. Open this page over https, or start a chat instead.';
