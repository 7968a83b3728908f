import { describe, expect, it } from 'vitest';
import { createFrameProcessor, type FrameFactory, type FrameLike } from '../../../../renderer/media/share/frame-processor';
import { frameBytes, type PixelFormat } from '../../../../renderer/media/share/planes';
import { type Rect } from '../../../../renderer/media/share/geometry';

/** A fake I420 or BGRA frame whose pixel (x, y) has luma (x + y) % 200 + 20, for checking copies. */
class FakeFrame implements FrameLike {
  closed = false;
  readonly visibleRect: DOMRectReadOnly;
  constructor(
    readonly format: PixelFormat | null,
    readonly codedWidth: number,
    readonly codedHeight: number,
    readonly timestamp = 1000,
    readonly origin: { kind: 'source' } | { kind: 'crop'; of: FakeFrame; rect: Rect } | { kind: 'buffer'; data: Uint8Array; layout?: unknown } = { kind: 'source' },
    visible?: Rect,
  ) {
    const v = visible ?? { x: 0, y: 0, width: codedWidth, height: codedHeight };
    this.visibleRect = { ...v, top: v.y, left: v.x, right: v.x + v.width, bottom: v.y + v.height, toJSON: () => v } as DOMRectReadOnly;
  }
  get displayWidth() {
    return this.visibleRect.width;
  }
  get displayHeight() {
    return this.visibleRect.height;
  }
  readonly duration = null;
  allocationSize(options?: { rect?: Rect }) {
    const r = options?.rect ?? this.visibleRect;
    return frameBytes(this.format!, r.width, r.height);
  }
  async copyTo(dest: Uint8Array, options?: { rect?: Rect }) {
    const r = options?.rect ?? this.visibleRect;
    if (this.format === 'BGRA') {
      for (let y = 0; y < r.height; y++) for (let x = 0; x < r.width; x++) dest.set([luma(r.x + x, r.y + y), 1, 2, 255], (y * r.width + x) * 4);
      return [{ offset: 0, stride: r.width * 4 }];
    }
    for (let y = 0; y < r.height; y++) for (let x = 0; x < r.width; x++) dest[y * r.width + x] = luma(r.x + x, r.y + y);
    dest.fill(77, r.width * r.height, frameBytes('I420', r.width, r.height));
    const q = (r.width / 2) * (r.height / 2);
    return [
      { offset: 0, stride: r.width },
      { offset: r.width * r.height, stride: r.width / 2 },
      { offset: r.width * r.height + q, stride: r.width / 2 },
    ];
  }
  close() {
    this.closed = true;
  }
}
const luma = (x: number, y: number) => ((x + y) % 200) + 20;

const factory: FrameFactory<FakeFrame> = {
  crop: (frame, rect) => new FakeFrame(frame.format, frame.codedWidth, frame.codedHeight, frame.timestamp, { kind: 'crop', of: frame, rect }, rect),
  fromBuffer: (buffer, init) => new FakeFrame(init.format, init.codedWidth, init.codedHeight, init.timestamp, { kind: 'buffer', data: buffer.slice(), layout: init.layout }),
};

const region = { x: 100, y: 60, width: 40, height: 20 };

describe('frame processor', () => {
  it('without masks crops by visibleRect, without copying, and closes the input', async () => {
    const proc = createFrameProcessor(factory, { region, masks: [], blanked: false });
    const input = new FakeFrame('I420', 320, 240, 42);
    const out = (await proc.process(input))!;
    expect(input.closed).toBe(true);
    expect(out.origin.kind).toBe('crop');
    expect(out.visibleRect).toMatchObject(region);
    expect([out.displayWidth, out.displayHeight, out.timestamp]).toEqual([40, 20, 42]);
    expect(proc.stats).toMatchObject({ framesIn: 1, framesOut: 1, lastPath: 'crop' });
  });

  it('offsets the crop by the input frame’s own visible rect', async () => {
    const proc = createFrameProcessor(factory, { region: { x: 0, y: 0, width: 20, height: 10 }, masks: [], blanked: false });
    const out = (await proc.process(new FakeFrame('I420', 340, 260, 1, { kind: 'source' }, { x: 20, y: 20, width: 320, height: 240 })))!;
    expect(out.visibleRect).toMatchObject({ x: 20, y: 20, width: 20, height: 10 });
  });

  it('with masks copies the region only and fills the masked pixels black (I420)', async () => {
    const mask = { x: 110, y: 64, width: 10, height: 6 }; // source coordinates
    const proc = createFrameProcessor(factory, { region, masks: [mask], blanked: false });
    const out = (await proc.process(new FakeFrame('I420', 320, 240, 7)))!;
    expect(out.origin.kind).toBe('buffer');
    expect([out.format, out.codedWidth, out.codedHeight, out.timestamp]).toEqual(['I420', 40, 20, 7]);
    const data = (out.origin as { data: Uint8Array }).data;
    for (let y = 0; y < 20; y++) {
      for (let x = 0; x < 40; x++) {
        const masked = x >= 10 && x < 20 && y >= 4 && y < 10;
        expect(data[y * 40 + x], `(${x},${y})`).toBe(masked ? 0 : luma(region.x + x, region.y + y));
      }
    }
    expect(proc.stats.lastPath).toBe('masks');
  });

  it('with masks on a BGRA frame keeps the format and blacks the pixels', async () => {
    const proc = createFrameProcessor(factory, { region, masks: [{ x: 100, y: 60, width: 2, height: 2 }], blanked: false });
    const out = (await proc.process(new FakeFrame('BGRA', 320, 240)))!;
    const data = (out.origin as { data: Uint8Array }).data;
    expect(out.format).toBe('BGRA');
    expect([...data.subarray(0, 4)]).toEqual([0, 0, 0, 255]);
    expect([...data.subarray(8, 12)]).toEqual([luma(102, 60), 1, 2, 255]);
  });

  it('blanked sends black frames of the region size, keeping timing', async () => {
    const proc = createFrameProcessor(factory, { region, masks: [], blanked: true });
    const out = (await proc.process(new FakeFrame('I420', 320, 240, 99)))!;
    const data = (out.origin as { data: Uint8Array }).data;
    expect([out.codedWidth, out.codedHeight, out.timestamp]).toEqual([40, 20, 99]);
    expect(data.subarray(0, 800).every((b) => b === 0)).toBe(true);
    expect(data.subarray(800).every((b) => b === 128)).toBe(true);
  });

  it('applies new settings from the next frame', async () => {
    const proc = createFrameProcessor(factory, { region, masks: [], blanked: false });
    expect((await proc.process(new FakeFrame('I420', 320, 240)))!.origin.kind).toBe('crop');
    proc.setSettings({ region: { x: 0, y: 0, width: 64, height: 48 }, masks: [{ x: 0, y: 0, width: 8, height: 8 }], blanked: false });
    const out = (await proc.process(new FakeFrame('I420', 320, 240)))!;
    expect([out.origin.kind, out.codedWidth, out.codedHeight]).toEqual(['buffer', 64, 48]);
  });

  it('drops frames when the region lies outside a shrunken source, and opaque frames without a canvas path', async () => {
    const proc = createFrameProcessor(factory, { region: { x: 400, y: 300, width: 40, height: 20 }, masks: [], blanked: false });
    const input = new FakeFrame('I420', 320, 240);
    expect(await proc.process(input)).toBeNull();
    expect(input.closed).toBe(true);
    const proc2 = createFrameProcessor(factory, { region, masks: [{ x: 100, y: 60, width: 4, height: 4 }], blanked: false });
    expect(await proc2.process(new FakeFrame(null, 320, 240))).toBeNull();
    expect(proc2.stats.lastPath).toBe('dropped');
  });
});
