/**
 * Random ids for clientMsgId. crypto.getRandomValues works on plain http too (randomUUID needs a
 * secure context), so the widget does not depend on how it is hosted.
 */
export function randomId(prefix = 'm', fill: (bytes: Uint8Array<ArrayBuffer>) => void = (b) => void globalThis.crypto.getRandomValues(b)): string {
  const bytes = new Uint8Array(16);
  fill(bytes);
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return `${prefix}_${hex}`;
}
