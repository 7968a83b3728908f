/**
 * Pure rectangle helpers for the share pipeline. All coordinates are integer pixels. I420 and NV12
 * subsample chroma 2×2, so every rectangle that reaches a frame is aligned to even coordinates:
 * regions shrink inward (never showing what the user did not choose), masks grow outward (never
 * leaving a sliver of what the user hid).
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Size {
  width: number;
  height: number;
}

const floorEven = (n: number) => Math.floor(n / 2) * 2;
const ceilEven = (n: number) => Math.ceil(n / 2) * 2;
const clamp = (n: number, lo: number, hi: number) => Math.min(Math.max(n, lo), hi);

/** The whole source as a region. */
export function wholeSource(size: Size): Rect {
  return clampRegion({ x: 0, y: 0, width: size.width, height: size.height }, size);
}

/**
 * Fits a region inside the source and aligns it for I420: start rounded up to even, end rounded
 * down to even, at least 2×2. A region entirely outside the source becomes the 2×2 at the nearest
 * corner rather than growing into something the user did not pick.
 */
export function clampRegion(rect: Rect, source: Size): Rect {
  const maxW = floorEven(source.width);
  const maxH = floorEven(source.height);
  if (maxW < 2 || maxH < 2) return { x: 0, y: 0, width: Math.max(maxW, 0), height: Math.max(maxH, 0) };
  const x0 = clamp(ceilEven(Math.round(rect.x)), 0, maxW - 2);
  const y0 = clamp(ceilEven(Math.round(rect.y)), 0, maxH - 2);
  const x1 = clamp(floorEven(Math.round(rect.x + rect.width)), x0 + 2, maxW);
  const y1 = clamp(floorEven(Math.round(rect.y + rect.height)), y0 + 2, maxH);
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/**
 * Masks (source coordinates) as seen inside a region: intersected with it, moved to the region's
 * origin, grown outward to even coordinates. Masks outside the region disappear.
 */
export function masksInRegion(masks: readonly Rect[], region: Rect): Rect[] {
  const out: Rect[] = [];
  for (const m of masks) {
    const x0 = Math.max(m.x, region.x) - region.x;
    const y0 = Math.max(m.y, region.y) - region.y;
    const x1 = Math.min(m.x + m.width, region.x + region.width) - region.x;
    const y1 = Math.min(m.y + m.height, region.y + region.height) - region.y;
    if (x1 <= x0 || y1 <= y0) continue;
    const ex0 = floorEven(Math.floor(x0));
    const ey0 = floorEven(Math.floor(y0));
    const ex1 = Math.min(ceilEven(Math.ceil(x1)), ceilEven(region.width));
    const ey1 = Math.min(ceilEven(Math.ceil(y1)), ceilEven(region.height));
    out.push({ x: ex0, y: ey0, width: ex1 - ex0, height: ey1 - ey0 });
  }
  return out;
}

/** A rectangle from two drag points, in either order, clamped to the source (not yet aligned). */
export function rectFromDrag(a: { x: number; y: number }, b: { x: number; y: number }, source: Size): Rect {
  const x0 = clamp(Math.min(a.x, b.x), 0, source.width);
  const y0 = clamp(Math.min(a.y, b.y), 0, source.height);
  const x1 = clamp(Math.max(a.x, b.x), 0, source.width);
  const y1 = clamp(Math.max(a.y, b.y), 0, source.height);
  return { x: Math.round(x0), y: Math.round(y0), width: Math.round(x1 - x0), height: Math.round(y1 - y0) };
}

/** Maps a point on a preview element of `shown` size to source pixels. */
export function toSourcePoint(point: { x: number; y: number }, shown: Size, source: Size): { x: number; y: number } {
  if (shown.width <= 0 || shown.height <= 0) return { x: 0, y: 0 };
  return { x: (point.x * source.width) / shown.width, y: (point.y * source.height) / shown.height };
}

/** Maps a source rectangle to percentages of the preview, for overlays that scale with it. */
export function toPercentRect(rect: Rect, source: Size): { left: string; top: string; width: string; height: string } {
  const pct = (n: number, d: number) => `${d > 0 ? (n * 100) / d : 0}%`;
  return { left: pct(rect.x, source.width), top: pct(rect.y, source.height), width: pct(rect.width, source.width), height: pct(rect.height, source.height) };
}

/**
 * The region to cut from an actual frame: the chosen region fitted to the frame (a window can
 * shrink while shared). Returns null when nothing of it is left.
 */
export function fitRegionToFrame(region: Rect, frame: Size): Rect | null {
  if (region.x >= frame.width - 1 || region.y >= frame.height - 1) return null;
  return clampRegion(region, frame);
}

export const sameRect = (a: Rect, b: Rect): boolean => a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;
