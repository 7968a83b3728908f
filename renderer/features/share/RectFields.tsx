import { type Rect } from '../../media/share/geometry';
import { NumberField } from './NumberField';

/** x, y, width, height in source pixels, each its own input with a test id `<prefix>-x` etc. */
export function RectFields({ rect, onChange, prefix }: { rect: Rect; onChange(rect: Rect): void; prefix: string }) {
  return (
    <div className="share-rect-fields">
      <NumberField label="x" testId={`${prefix}-x`} value={rect.x} onValue={(x) => onChange({ ...rect, x })} />
      <NumberField label="y" testId={`${prefix}-y`} value={rect.y} onValue={(y) => onChange({ ...rect, y })} />
      <NumberField label="width" testId={`${prefix}-width`} min={1} value={rect.width} onValue={(width) => onChange({ ...rect, width })} />
      <NumberField label="height" testId={`${prefix}-height`} min={1} value={rect.height} onValue={(height) => onChange({ ...rect, height })} />
    </div>
  );
}
