/** Why a cell is hidden: too few interactions, or hidden so that such a cell cannot be derived. */
export type SuppressionReason = 'below_k' | 'complementary';

/**
 * Primary and complementary suppression of a table of counts (rows × columns, e.g. queues × hours).
 * Every cell under k is suppressed (`below_k`; zero included: "nobody came" is not published
 * either). Then, until nothing changes: in any row or column with exactly one suppressed cell, the
 * smallest cell still shown (first on ties) is suppressed too (`complementary`), so that a row or
 * column total known from elsewhere minus the shown cells yields a sum of at least two hidden
 * cells, never one. A line of a single cell has nothing to pair with: its total must never be
 * published (the anonymous statistics publish no totals at all).
 */
export function suppress(counts: readonly (readonly number[])[], k: number): (SuppressionReason | null)[][] {
  const out: (SuppressionReason | null)[][] = counts.map((row) => row.map((n) => (n < k ? 'below_k' : null)));
  const rows = counts.length;
  const cols = rows === 0 ? 0 : counts[0]!.length;
  const line = (cells: [number, number][]): boolean => {
    if (cells.length < 2) return false;
    const hidden = cells.filter(([r, c]) => out[r]![c] !== null);
    if (hidden.length !== 1) return false;
    let pick: [number, number] | null = null;
    for (const [r, c] of cells) {
      if (out[r]![c] !== null) continue;
      if (pick === null || counts[r]![c]! < counts[pick[0]]![pick[1]]!) pick = [r, c];
    }
    out[pick![0]]![pick![1]] = 'complementary';
    return true;
  };
  let changed = true;
  while (changed) {
    changed = false;
    for (let r = 0; r < rows; r += 1) if (line(Array.from({ length: cols }, (_, c) => [r, c]))) changed = true;
    for (let c = 0; c < cols; c += 1) if (line(Array.from({ length: rows }, (_, r) => [r, c]))) changed = true;
  }
  return out;
}
