import { useAppStore } from '../../app/store-context';
import { type Rect } from '../../media/share/geometry';
import { RectFields } from '../share/RectFields';
import './screen-recording.css';

const NEW_MASK: Rect = { x: 0, y: 0, width: 200, height: 100 };

/**
 * Settings → Screen recording: the agent's standing masks, parts of their screen (in screen
 * pixels) that a screen recording always shows black; painted over each frame before it is encoded.
 * Kept on this machine; a change applies to a recording in progress from its next frame.
 */
export function StandingMasksSection() {
  const masks = useAppStore((s) => s.screenRecording.masks);
  const setMasks = useAppStore((s) => s.setStandingMasks);
  return (
    <section className="card settings-section" aria-labelledby="settings-screen-title" data-testid="settings-standing-masks">
      <h2 id="settings-screen-title">Screen recording</h2>
      <p className="muted small">Standing masks: parts of your screen that are always black in screen recordings (screen pixels from the top left).</p>
      <ol className="standing-masks">
        {masks.map((mask, i) => (
          <li key={i}>
            <RectFields rect={mask} prefix={`standing-mask-${i}`} onChange={(next) => setMasks(masks.map((m, j) => (j === i ? next : m)))} />
            <button type="button" className="button-ghost" data-testid={`standing-mask-${i}-remove`} onClick={() => setMasks(masks.filter((_, j) => j !== i))}>
              Remove
            </button>
          </li>
        ))}
      </ol>
      <button type="button" className="button-secondary" data-testid="standing-mask-add" disabled={masks.length >= 16} onClick={() => setMasks([...masks, NEW_MASK])}>
        Add a mask
      </button>
    </section>
  );
}
