import type { AnonymousCell, AnonymousNoiseSettings, AnonymousStatsQuery, AnonymousStatsResponse } from '../../../shared/api/reports';
import type { CellNoise } from './cell-noise';
import { alignRange, blockOf, blockRange, bucketsIn } from './buckets';
import { aggregateKey, type Aggregate, type ReportSource } from './report-source';
import { suppress } from './suppression';

/**
 * Anonymous statistics for use outside the organisation. The grid is every queue of the org × every
 * UTC bucket of the range, widened to fixed bucket boundaries. Interactions marked sensitive or
 * child-protected are left out altogether. A cell under k interactions is suppressed, then
 * complementary suppression hides more cells until no row (a queue within the block) or column (a
 * bucket) has exactly one suppressed cell. Suppression runs within fixed blocks (the UTC day for
 * hours, the calendar month for days), whatever range was asked. No totals, no agent or customer
 * identifier, no text, no interaction id.
 *
 * Differencing: a cell's figures depend only on its own queue and bucket, and whether it is shown
 * only on its block's figures; so every request that contains a cell shows it, or hides it for
 * the same reason, alike. Two requests whose ranges differ by an hour differ by whole cells, each
 * thresholded alone; a complementary cell hidden in one is hidden in every other, so no second
 * request reveals it and subtracting it from a total known elsewhere cannot isolate a cell under k.
 *
 * With the org's optional noise on, shown cells then get differential-privacy noise (cell-noise.ts).
 */
export async function anonymousStats(
  source: ReportSource,
  query: AnonymousStatsQuery,
  k: number,
  noise: { settings: AnonymousNoiseSettings; cells: CellNoise } | null = null,
): Promise<AnonymousStatsResponse> {
  const range = alignRange(query.from, query.to, query.bucket);
  const wanted = new Set(bucketsIn(range, query.bucket));
  const whole = blockRange(range, query.bucket);
  const queues = (await source.queues()).map((q) => q.id);
  const aggregates = await source.aggregate({ ...whole, bucket: query.bucket, group: 'queue', excludeFlagged: true });
  const at = (queue: string, bucket: string) => aggregates.get(aggregateKey(queue, bucket));
  const blocks = new Map<string, string[]>();
  for (const bucket of bucketsIn(whole, query.bucket)) {
    const block = blockOf(bucket, query.bucket);
    blocks.set(block, [...(blocks.get(block) ?? []), bucket]);
  }
  const out: AnonymousCell[] = [];
  for (const buckets of blocks.values()) {
    const reasons = suppress(
      queues.map((queue) => buckets.map((bucket) => at(queue, bucket)?.interactions ?? 0)),
      k,
    );
    queues.forEach((queue, r) => {
      buckets.forEach((bucket, c) => {
        if (!wanted.has(bucket)) return;
        const reason = reasons[r]![c]!;
        out.push(reason === null ? shown(queue, bucket, at(queue, bucket)!) : hidden(queue, bucket, reason));
      });
    });
  }
  out.sort((a, b) => a.queue.localeCompare(b.queue) || a.bucket.localeCompare(b.bucket));
  const base = { k, from: range.from, to: range.to, bucket: query.bucket };
  if (!noise?.settings.enabled) return { ...base, noise: 'none', cells: out };
  // Suppression above was decided on the true counts; the noise only blurs what is shown.
  const { epsilon } = noise.settings;
  return { ...base, noise: 'geometric', epsilon, cells: out.map((c) => noise.cells.apply(c, k, epsilon)) };
}

/** A cell shown holds at least k ≥ 5 interactions, so it always has an aggregate. */
function shown(queue: string, bucket: string, m: Aggregate): AnonymousCell {
  return {
    queue,
    bucket,
    interactions: m.interactions,
    suppressed: false,
    answered: m.answered,
    abandoned: m.abandoned,
    waitP50Ms: m.waitP50Ms,
    waitP90Ms: m.waitP90Ms,
    handleP50Ms: m.handleP50Ms,
    handleP90Ms: m.handleP90Ms,
    transfers: m.transfers,
    securePauses: m.securePauses,
  };
}

function hidden(queue: string, bucket: string, reason: 'below_k' | 'complementary'): AnonymousCell {
  return {
    queue,
    bucket,
    interactions: null,
    suppressed: true,
    reason,
    answered: null,
    abandoned: null,
    waitP50Ms: null,
    waitP90Ms: null,
    handleP50Ms: null,
    handleP90Ms: null,
    transfers: null,
    securePauses: null,
  };
}
