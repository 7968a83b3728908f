/**
 * The agent's microphone for a call, with errors worded for the person at the desk. `deviceId` is
 * the one chosen in Settings → Audio ('' = the system default); when it is not connected, the
 * default is used instead (`onFallback` is told).
 */
export async function getMicrophone(
  mediaDevices: Pick<MediaDevices, 'getUserMedia'> | undefined = globalThis.navigator?.mediaDevices,
  deviceId = '',
  onFallback?: () => void,
): Promise<MediaStream> {
  if (!mediaDevices?.getUserMedia) {
    throw new Error('This window cannot use a microphone (it needs a secure connection, https or the desktop app).');
  }
  try {
    if (deviceId) {
      try {
        return await mediaDevices.getUserMedia({ audio: { deviceId: { exact: deviceId } }, video: false });
      } catch (err) {
        const name = err instanceof Error || (typeof err === 'object' && err !== null && 'name' in err) ? String((err as { name: unknown }).name) : '';
        if (name !== 'NotFoundError' && name !== 'OverconstrainedError') throw err;
        onFallback?.();
      }
    }
    return await mediaDevices.getUserMedia({ audio: true, video: false });
  } catch (err) {
    throw new Error(microphoneErrorMessage(err), { cause: err });
  }
}

export function microphoneErrorMessage(err: unknown): string {
  const name = err instanceof Error || (typeof err === 'object' && err !== null && 'name' in err) ? String((err as { name: unknown }).name) : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Microphone access was refused. Allow the microphone for Veildesk, then take the next call.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No microphone was found. Connect a headset and try again.';
    case 'NotReadableError':
    case 'AbortError':
      return 'The microphone is in use by another application or could not be started.';
    default:
      return 'The microphone could not be started.';
  }
}
