type SinkableElement = HTMLMediaElement & { setSinkId?: (id: string) => Promise<void> };

/** Plays an element on the chosen output ('' = default); a device that refuses falls back to the default. */
export async function routeToSink(element: HTMLMediaElement, deviceId: string): Promise<void> {
  const el = element as SinkableElement;
  if (!el.setSinkId) return;
  try {
    await el.setSinkId(deviceId);
  } catch {
    await el.setSinkId('').catch(() => undefined);
  }
}
