import type { AnonymousCell, AnonymousStatsQuery, AnonymousStatsResponse } from '../../../shared/api/reports';
import { alignRange, bucketsIn } from './buckets';
import { aggregateKey, type Aggregate, type ReportSource } from './report-source';
import { suppress } from './suppression';

/**
 * Anonymous statistics for use outside the organisation. The grid is every queue of the org × every
 * UTC bucket of the range, widened to fixed bucket boundaries. Interactions marked sensitive or
 * child-protected are left out altogether. A cell under k interactions is suppressed, then
 * complementary suppression hides more cells until no row (queue) or column (bucket) has exactly
 * one suppressed cell. No totals, no agent or customer identifier, no text, no interaction id.
 *
 * Differencing: each cell's count and measures depend only on its own queue and bucket, and a cell
 * under k is suppressed in every request that contains it; so two requests whose ranges differ by
 * an hour differ by whole cells, each thresholded alone, and no published figure is a sum from
 * which a cell under k could be subtracted. (Complementary cells may differ between requests;
 * they hold k or more, so showing one in another request reveals nothing under k.)
 */
export async function anonymousStats(source: ReportSource, query: AnonymousStatsQuery, k: number): Promise<AnonymousStatsResponse> {
  const range = alignRange(query.from, query.to, query.bucket);
  const buckets = bucketsIn(range, query.bucket);
  const queues = (await source.queues()).map((q) => q.id);
  const aggregates = await source.aggregate({ ...range, bucket: query.bucket, group: 'queue', excludeFlagged: true });
  const at = (queue: string, bucket: string) => aggregates.get(aggregateKey(queue, bucket));
  const reasons = suppress(
    queues.map((queue) => buckets.map((bucket) => at(queue, bucket)?.interactions ?? 0)),
    k,
  );
  const out: AnonymousCell[] = [];
  queues.forEach((queue, r) => {
    buckets.forEach((bucket, c) => {
      const reason = reasons[r]![c]!;
      out.push(reason === null ? shown(queue, bucket, at(queue, bucket)!) : hidden(queue, bucket, reason));
    });
  });
  return { k, from: range.from, to: range.to, bucket: query.bucket, noise: 'none', cells: out };
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
