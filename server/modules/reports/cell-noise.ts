import type { AnonymousCell } from '../../../shared/api/reports';
import { cryptoSource, epsilonMillis, geometricNoise, type RandomSource } from './geometric-noise';

/** Noisy figures remembered per cell state; past this many the memory starts over. */
const MEMO_LIMIT = 50_000;

/**
 * Differential-privacy noise on the cells the anonymous statistics show, after suppression has been
 * decided on the true counts (docs/privacy-model.md, principle 6: why, and what the guarantee is).
 *
 * One interaction changes its cell's `interactions` by 1 and at most one of `answered`, `abandoned`
 * by 1: L1 sensitivity 2, so each of the three gets two-sided geometric noise of scale 2/ε and the
 * cell is ε-differentially private; an interaction is in one cell only, so the response is too.
 * Measures with no bound on one interaction's effect (transfers, secure pauses) and percentiles are
 * not published with noise (null). Afterwards, using only what the response already says: a shown
 * cell's count is at least k, answered and abandoned between 0 and that count (post-processing).
 *
 * Each state of a cell (its true figures) gets its noise once and keeps it while it lasts, so asking
 * again and averaging the answers learns nothing more.
 */
export class CellNoise {
  private readonly memo = new Map<string, [number, number, number]>();

  constructor(private readonly src: RandomSource = cryptoSource) {}

  apply(cell: AnonymousCell, k: number, epsilon: number): AnonymousCell {
    if (cell.suppressed || cell.interactions === null) return cell;
    const key = JSON.stringify([cell.queue, cell.bucket, epsilonMillis(epsilon), cell.interactions, cell.answered, cell.abandoned]);
    let noise = this.memo.get(key);
    if (!noise) {
      const draw = geometricNoise(this.src, epsilon, 2);
      noise = [draw(), draw(), draw()];
      if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
      this.memo.set(key, noise);
    }
    const interactions = Math.max(k, cell.interactions + noise[0]);
    const within = (n: number | null, z: number) => (n === null ? null : Math.min(interactions, Math.max(0, n + z)));
    return {
      ...cell,
      interactions,
      answered: within(cell.answered, noise[1]),
      abandoned: within(cell.abandoned, noise[2]),
      waitP50Ms: null,
      waitP90Ms: null,
      handleP50Ms: null,
      handleP90Ms: null,
      transfers: null,
      securePauses: null,
    };
  }
}
