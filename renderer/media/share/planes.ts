/**
 * Filling rectangles black directly in a frame's pixel buffer: the cheap mask path. Works on the
 * layouts VideoFrame.copyTo produces for the formats screen capture and canvases deliver.
 *
 * Black: Y = 0 with U = V = 128 (no colour). In limited range Y 16 is black and lower values clamp
 * to black; in full range Y 0 is black. Either way the result samples as black, and neutral chroma
 * keeps a colour from bleeding into the mask.
 */
import { type Rect } from './geometry';

export type PixelFormat = 'I420' | 'I420A' | 'NV12' | 'RGBA' | 'RGBX' | 'BGRA' | 'BGRX';

export const FILLABLE_FORMATS: ReadonlySet<string> = new Set<PixelFormat>(['I420', 'I420A', 'NV12', 'RGBA', 'RGBX', 'BGRA', 'BGRX']);

export interface PlaneLayout {
  offset: number;
  stride: number;
}

export const BLACK_Y = 0;
export const NEUTRAL_CHROMA = 128;

/** Tightly packed planes for a width × height frame (width and height even for the YUV formats). */
export function packedLayout(format: PixelFormat, width: number, height: number): PlaneLayout[] {
  const cw = Math.ceil(width / 2);
  const ch = Math.ceil(height / 2);
  switch (format) {
    case 'I420':
      return [
        { offset: 0, stride: width },
        { offset: width * height, stride: cw },
        { offset: width * height + cw * ch, stride: cw },
      ];
    case 'I420A':
      return [
        { offset: 0, stride: width },
        { offset: width * height, stride: cw },
        { offset: width * height + cw * ch, stride: cw },
        { offset: width * height + 2 * cw * ch, stride: width },
      ];
    case 'NV12':
      return [
        { offset: 0, stride: width },
        { offset: width * height, stride: cw * 2 },
      ];
    default:
      return [{ offset: 0, stride: width * 4 }];
  }
}

/** Bytes of a tightly packed frame. */
export function frameBytes(format: PixelFormat, width: number, height: number): number {
  const cw = Math.ceil(width / 2);
  const ch = Math.ceil(height / 2);
  switch (format) {
    case 'I420':
      return width * height + 2 * cw * ch;
    case 'I420A':
      return 2 * width * height + 2 * cw * ch;
    case 'NV12':
      return width * height + 2 * cw * ch;
    default:
      return width * height * 4;
  }
}

/** Sets `len` bytes on each of `rows` rows of a plane. */
function fillRows(buf: Uint8Array, plane: PlaneLayout, row0: number, rows: number, col0: number, len: number, value: number): void {
  for (let r = 0; r < rows; r++) {
    const start = plane.offset + (row0 + r) * plane.stride + col0;
    buf.fill(value, start, start + len);
  }
}

/** Clips a rect to width × height; null when empty. */
function clip(rect: Rect, width: number, height: number): Rect | null {
  const x0 = Math.max(0, Math.floor(rect.x));
  const y0 = Math.max(0, Math.floor(rect.y));
  const x1 = Math.min(width, Math.ceil(rect.x + rect.width));
  const y1 = Math.min(height, Math.ceil(rect.y + rect.height));
  return x1 > x0 && y1 > y0 ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : null;
}

/**
 * Paints each rect black in a frame buffer of the given format and size. Chroma covers every
 * chroma sample the rect touches, so an odd edge is covered rather than left showing.
 */
export function fillRectsBlack(buf: Uint8Array, format: PixelFormat, width: number, height: number, rects: readonly Rect[], layout: readonly PlaneLayout[] = packedLayout(format, width, height)): void {
  for (const raw of rects) {
    const r = clip(raw, width, height);
    if (!r) continue;
    const cx0 = Math.floor(r.x / 2);
    const cy0 = Math.floor(r.y / 2);
    const cx1 = Math.ceil((r.x + r.width) / 2);
    const cy1 = Math.ceil((r.y + r.height) / 2);
    switch (format) {
      case 'I420':
      case 'I420A':
        fillRows(buf, layout[0]!, r.y, r.height, r.x, r.width, BLACK_Y);
        fillRows(buf, layout[1]!, cy0, cy1 - cy0, cx0, cx1 - cx0, NEUTRAL_CHROMA);
        fillRows(buf, layout[2]!, cy0, cy1 - cy0, cx0, cx1 - cx0, NEUTRAL_CHROMA);
        if (format === 'I420A') fillRows(buf, layout[3]!, r.y, r.height, r.x, r.width, 255);
        break;
      case 'NV12':
        fillRows(buf, layout[0]!, r.y, r.height, r.x, r.width, BLACK_Y);
        fillRows(buf, layout[1]!, cy0, cy1 - cy0, cx0 * 2, (cx1 - cx0) * 2, NEUTRAL_CHROMA);
        break;
      default: {
        // 4 bytes per pixel: colour 0, alpha (or padding) 255, whatever the channel order.
        const plane = layout[0]!;
        const alphaIndex = 3;
        for (let row = 0; row < r.height; row++) {
          const start = plane.offset + (r.y + row) * plane.stride + r.x * 4;
          buf.fill(0, start, start + r.width * 4);
          for (let i = start + alphaIndex; i < start + r.width * 4; i += 4) buf[i] = 255;
        }
      }
    }
  }
}

/** A whole I420 frame of black. */
export function blackI420(width: number, height: number): Uint8Array {
  const buf = new Uint8Array(frameBytes('I420', width, height));
  buf.fill(BLACK_Y, 0, width * height);
  buf.fill(NEUTRAL_CHROMA, width * height);
  return buf;
}
