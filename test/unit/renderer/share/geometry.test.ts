import { describe, expect, it } from 'vitest';
import { clampRegion, fitRegionToFrame, masksInRegion, rectFromDrag, toSourcePoint, wholeSource } from '../../../../renderer/media/share/geometry';

const source = { width: 1280, height: 720 };

describe('clampRegion', () => {
  it('keeps an aligned region inside the source as it is', () => {
    expect(clampRegion({ x: 100, y: 60, width: 800, height: 600 }, source)).toEqual({ x: 100, y: 60, width: 800, height: 600 });
  });
  it('aligns to even coordinates by shrinking inward (start up, end down)', () => {
    expect(clampRegion({ x: 101, y: 61, width: 800, height: 600 }, source)).toEqual({ x: 102, y: 62, width: 798, height: 598 });
    expect(clampRegion({ x: 0, y: 0, width: 801, height: 599 }, source)).toEqual({ x: 0, y: 0, width: 800, height: 598 });
  });
  it('cuts what lies outside the source', () => {
    expect(clampRegion({ x: 1000, y: 600, width: 800, height: 600 }, source)).toEqual({ x: 1000, y: 600, width: 280, height: 120 });
    expect(clampRegion({ x: -50, y: -10, width: 100, height: 40 }, source)).toEqual({ x: 0, y: 0, width: 50, height: 30 });
  });
  it('never goes below 2×2 and never outside', () => {
    expect(clampRegion({ x: 5000, y: 5000, width: 10, height: 10 }, source)).toEqual({ x: 1278, y: 718, width: 2, height: 2 });
    expect(clampRegion({ x: 10, y: 10, width: 0, height: 0 }, source)).toEqual({ x: 10, y: 10, width: 2, height: 2 });
  });
  it('handles odd source sizes', () => {
    expect(wholeSource({ width: 1367, height: 769 })).toEqual({ x: 0, y: 0, width: 1366, height: 768 });
  });
});

describe('masksInRegion', () => {
  const region = { x: 100, y: 60, width: 800, height: 600 };
  it('moves masks to region coordinates', () => {
    expect(masksInRegion([{ x: 300, y: 200, width: 200, height: 100 }], region)).toEqual([{ x: 200, y: 140, width: 200, height: 100 }]);
  });
  it('grows odd edges outward so nothing hidden shows', () => {
    expect(masksInRegion([{ x: 301, y: 201, width: 199, height: 99 }], region)).toEqual([{ x: 200, y: 140, width: 200, height: 100 }]);
    expect(masksInRegion([{ x: 103, y: 63, width: 2, height: 2 }], region)).toEqual([{ x: 2, y: 2, width: 4, height: 4 }]);
  });
  it('clips to the region and drops masks outside it', () => {
    expect(masksInRegion([{ x: 0, y: 0, width: 150, height: 100 }], region)).toEqual([{ x: 0, y: 0, width: 50, height: 40 }]);
    expect(masksInRegion([{ x: 850, y: 600, width: 400, height: 400 }], region)).toEqual([{ x: 750, y: 540, width: 50, height: 60 }]);
    expect(masksInRegion([{ x: 0, y: 0, width: 50, height: 50 }], region)).toEqual([]);
  });
});

describe('drag and preview mapping', () => {
  it('makes a rectangle from two points in any order, inside the source', () => {
    expect(rectFromDrag({ x: 500, y: 400 }, { x: 100, y: 50 }, source)).toEqual({ x: 100, y: 50, width: 400, height: 350 });
    expect(rectFromDrag({ x: -20, y: 10 }, { x: 2000, y: 900 }, source)).toEqual({ x: 0, y: 10, width: 1280, height: 710 });
  });
  it('maps preview points to source pixels', () => {
    expect(toSourcePoint({ x: 320, y: 180 }, { width: 640, height: 360 }, source)).toEqual({ x: 640, y: 360 });
    expect(toSourcePoint({ x: 1, y: 1 }, { width: 0, height: 0 }, source)).toEqual({ x: 0, y: 0 });
  });
  it('fits a region to a frame that shrank, or gives up when nothing is left', () => {
    expect(fitRegionToFrame({ x: 100, y: 60, width: 800, height: 600 }, { width: 640, height: 480 })).toEqual({ x: 100, y: 60, width: 540, height: 420 });
    expect(fitRegionToFrame({ x: 700, y: 60, width: 100, height: 100 }, { width: 640, height: 480 })).toBeNull();
  });
});
