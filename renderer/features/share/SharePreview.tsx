import { useEffect, useRef, useState, type PointerEvent } from 'react';
import { type Rect, type Size, rectFromDrag, toPercentRect, toSourcePoint } from '../../media/share/geometry';

type DragTarget = 'region' | 'mask';

/**
 * The live preview of the capture (local only) with the region outlined and the masks drawn as
 * black boxes. Dragging on it draws a new region or a new mask, in source pixels.
 */
export function SharePreview({
  stream,
  source,
  region,
  masks,
  onSourceSize,
  onRegion,
  onMask,
}: {
  stream: MediaStream | null;
  source: Size | null;
  region: Rect;
  masks: Rect[];
  onSourceSize(size: Size): void;
  onRegion(rect: Rect): void;
  onMask(rect: Rect): void;
}) {
  const video = useRef<HTMLVideoElement>(null);
  const [target, setTarget] = useState<DragTarget>('region');
  const [drag, setDrag] = useState<{ from: { x: number; y: number }; to: { x: number; y: number } } | null>(null);

  useEffect(() => {
    const el = video.current;
    if (!el) return;
    el.srcObject = stream;
    if (stream) void el.play().catch(() => undefined);
  }, [stream]);

  const point = (e: PointerEvent<HTMLDivElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    if (!source) return { x: 0, y: 0 };
    return toSourcePoint({ x: e.clientX - box.left, y: e.clientY - box.top }, { width: box.width, height: box.height }, source);
  };

  const dragRect = drag && source ? rectFromDrag(drag.from, drag.to, source) : null;

  return (
    <div className="share-preview-wrap">
      <div className="share-drag-mode" role="radiogroup" aria-label="Dragging on the preview draws">
        <span className="muted small">Drag on the preview to draw</span>
        {(['region', 'mask'] as const).map((t) => (
          <label key={t} className="share-radio">
            <input type="radio" name="share-drag" checked={target === t} onChange={() => setTarget(t)} data-testid={`share-drag-${t}`} />
            {t === 'region' ? 'the shared region' : 'a new mask'}
          </label>
        ))}
      </div>
      <div
        className="share-preview"
        data-testid="share-preview"
        onPointerDown={(e) => {
          if (!source) return;
          e.currentTarget.setPointerCapture(e.pointerId);
          const p = point(e);
          setDrag({ from: p, to: p });
        }}
        onPointerMove={(e) => drag && setDrag({ ...drag, to: point(e) })}
        onPointerUp={(e) => {
          if (!drag || !source) return;
          const rect = rectFromDrag(drag.from, point(e), source);
          setDrag(null);
          if (rect.width < 4 || rect.height < 4) return;
          if (target === 'region') onRegion(rect);
          else onMask(rect);
        }}
      >
        <video
          ref={video}
          muted
          playsInline
          autoPlay
          className="share-preview-video"
          onLoadedMetadata={(e) => onSourceSize({ width: e.currentTarget.videoWidth, height: e.currentTarget.videoHeight })}
          onResize={(e) => onSourceSize({ width: e.currentTarget.videoWidth, height: e.currentTarget.videoHeight })}
        />
        {source && (
          <>
            <div className="share-region-box" style={toPercentRect(region, source)} aria-hidden="true" />
            {masks.map((m, i) => (
              <div key={i} className="share-mask-box" style={toPercentRect(m, source)} aria-hidden="true" />
            ))}
            {dragRect && <div className={`share-drag-box share-drag-${target}`} style={toPercentRect(dragRect, source)} aria-hidden="true" />}
          </>
        )}
      </div>
    </div>
  );
}
