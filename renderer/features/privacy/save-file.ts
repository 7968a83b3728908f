/** Hands a Blob to the browser as a download under `name` (the same way a recording is downloaded). */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // The download has started from the URL; give it time before the Blob is let go.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
