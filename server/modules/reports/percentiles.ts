/**
 * Nearest-rank percentile (p in 0..100) of whole milliseconds: the smallest value with at least p%
 * of the values at or below it. Always one of the values, so no interpolation invents a figure.
 * Null for no values. Sorts `values` in place.
 */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * values.length));
  return values[rank - 1]!;
}
