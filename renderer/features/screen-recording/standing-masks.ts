import { type Rect } from '../../media/share/geometry';

/**
 * The agent's standing masks: rectangles of their screen (source pixels) that screen recording
 * always paints black before encoding, kept on this machine per server and user (localStorage:
 * coordinates only, nothing personal).
 */
const MAX_MASKS = 16;

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

const keyOf = (serverUrl: string, userId: string) => `veildesk.standingMasks:${serverUrl}:${userId}`;

function isRect(v: unknown): v is Rect {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return ['x', 'y', 'width', 'height'].every((k) => typeof r[k] === 'number' && Number.isInteger(r[k]) && (r[k] as number) >= 0 && (r[k] as number) <= 16384);
}

export function loadStandingMasks(serverUrl: string, userId: string): Rect[] {
  const raw = storage()?.getItem(keyOf(serverUrl, userId));
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.filter(isRect).slice(0, MAX_MASKS) : [];
  } catch {
    return [];
  }
}

export function saveStandingMasks(serverUrl: string, userId: string, masks: Rect[]): void {
  storage()?.setItem(keyOf(serverUrl, userId), JSON.stringify(masks.filter(isRect).slice(0, MAX_MASKS)));
}
