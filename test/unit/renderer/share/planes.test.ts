import { describe, expect, it } from 'vitest';
import { BLACK_Y, NEUTRAL_CHROMA, blackI420, fillRectsBlack, frameBytes, packedLayout, type PixelFormat } from '../../../../renderer/media/share/planes';

/** An I420 frame of one colour: Y, U, V. */
function i420(width: number, height: number, y = 200, u = 90, v = 240): Uint8Array {
  const buf = new Uint8Array(frameBytes('I420', width, height));
  buf.fill(y, 0, width * height);
  buf.fill(u, width * height, width * height + (width / 2) * (height / 2));
  buf.fill(v, width * height + (width / 2) * (height / 2));
  return buf;
}

const yAt = (buf: Uint8Array, width: number, x: number, y: number) => buf[y * width + x];
const uAt = (buf: Uint8Array, width: number, height: number, cx: number, cy: number) => buf[width * height + cy * (width / 2) + cx];
const vAt = (buf: Uint8Array, width: number, height: number, cx: number, cy: number) => buf[width * height + (width / 2) * (height / 2) + cy * (width / 2) + cx];

describe('fillRectsBlack', () => {
  it('I420: fills the masked rows of Y with black and the chroma under them with neutral', () => {
    const w = 16;
    const h = 8;
    const buf = i420(w, h);
    fillRectsBlack(buf, 'I420', w, h, [{ x: 4, y: 2, width: 6, height: 4 }]);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const inside = x >= 4 && x < 10 && y >= 2 && y < 6;
        expect(yAt(buf, w, x, y), `Y(${x},${y})`).toBe(inside ? BLACK_Y : 200);
      }
    }
    for (let cy = 0; cy < h / 2; cy++) {
      for (let cx = 0; cx < w / 2; cx++) {
        const inside = cx >= 2 && cx < 5 && cy >= 1 && cy < 3;
        expect(uAt(buf, w, h, cx, cy)).toBe(inside ? NEUTRAL_CHROMA : 90);
        expect(vAt(buf, w, h, cx, cy)).toBe(inside ? NEUTRAL_CHROMA : 240);
      }
    }
  });

  it('I420: an odd-edged rect neutralises every chroma sample it touches', () => {
    const buf = i420(8, 8);
    fillRectsBlack(buf, 'I420', 8, 8, [{ x: 1, y: 1, width: 2, height: 2 }]);
    // Pixels 1..2 touch chroma columns 0 and 1, rows 0 and 1.
    expect([uAt(buf, 8, 8, 0, 0), uAt(buf, 8, 8, 1, 1), uAt(buf, 8, 8, 2, 0)]).toEqual([128, 128, 90]);
    expect([yAt(buf, 8, 0, 0), yAt(buf, 8, 1, 1), yAt(buf, 8, 2, 2), yAt(buf, 8, 3, 1)]).toEqual([200, 0, 0, 200]);
  });

  it('honours copyTo layouts with padded strides', () => {
    const w = 4;
    const h = 2;
    // Y stride 8, U and V stride 4, planes at 0, 16, 20.
    const layout = [
      { offset: 0, stride: 8 },
      { offset: 16, stride: 4 },
      { offset: 20, stride: 4 },
    ];
    const buf = new Uint8Array(24).fill(7);
    fillRectsBlack(buf, 'I420', w, h, [{ x: 0, y: 0, width: 4, height: 2 }], layout);
    expect([...buf]).toEqual([0, 0, 0, 0, 7, 7, 7, 7, 0, 0, 0, 0, 7, 7, 7, 7, 128, 128, 7, 7, 128, 128, 7, 7]);
  });

  it('NV12: Y black, the interleaved UV pairs neutral', () => {
    const w = 8;
    const h = 4;
    const buf = new Uint8Array(frameBytes('NV12', w, h)).fill(50);
    fillRectsBlack(buf, 'NV12', w, h, [{ x: 2, y: 0, width: 4, height: 2 }]);
    const uv = buf.subarray(w * h);
    expect([...uv.subarray(0, 8)]).toEqual([50, 50, 128, 128, 128, 128, 50, 50]);
    expect([...uv.subarray(8, 16)]).toEqual([50, 50, 50, 50, 50, 50, 50, 50]);
    expect(yAt(buf, w, 2, 1)).toBe(0);
    expect(yAt(buf, w, 6, 1)).toBe(50);
  });

  it.each<PixelFormat>(['RGBA', 'BGRA', 'RGBX', 'BGRX'])('%s: colour 0, alpha 255, only inside', (format) => {
    const w = 4;
    const h = 2;
    const buf = new Uint8Array(w * h * 4).fill(99);
    fillRectsBlack(buf, format, w, h, [{ x: 1, y: 1, width: 2, height: 1 }]);
    const px = (x: number, y: number) => [...buf.subarray((y * w + x) * 4, (y * w + x) * 4 + 4)];
    expect(px(0, 0)).toEqual([99, 99, 99, 99]);
    expect(px(1, 1)).toEqual([0, 0, 0, 255]);
    expect(px(2, 1)).toEqual([0, 0, 0, 255]);
    expect(px(3, 1)).toEqual([99, 99, 99, 99]);
  });

  it('clips rects to the frame and ignores empty ones', () => {
    const buf = i420(4, 4);
    fillRectsBlack(buf, 'I420', 4, 4, [
      { x: 2, y: 2, width: 100, height: 100 },
      { x: 10, y: 10, width: 5, height: 5 },
    ]);
    expect(yAt(buf, 4, 3, 3)).toBe(0);
    expect(yAt(buf, 4, 1, 1)).toBe(200);
    expect(buf.length).toBe(frameBytes('I420', 4, 4));
  });

  it('blackI420 is black everywhere with neutral chroma', () => {
    const b = blackI420(4, 2);
    expect([...b]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 128, 128, 128, 128]);
    expect(packedLayout('I420', 4, 2)).toEqual([
      { offset: 0, stride: 4 },
      { offset: 8, stride: 2 },
      { offset: 10, stride: 2 },
    ]);
  });
});
