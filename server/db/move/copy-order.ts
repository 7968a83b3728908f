/** A table of the SQLite file to copy: its columns, the tables its foreign keys point at, its row count. */
export interface SourceTable {
  name: string;
  columns: string[];
  parents: string[];
  rows: number;
}

/**
 * Tables ordered so that every table comes after the tables its foreign keys point at (so each
 * insert finds its parent rows), by name otherwise. A table that points at itself is fine (rows are
 * copied in rowid order); a cycle between tables cannot be copied row by row and is refused.
 */
export function copyOrder(tables: readonly SourceTable[]): SourceTable[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: SourceTable[] = [];
  const visit = (t: SourceTable): void => {
    if (done.has(t.name)) return;
    if (visiting.has(t.name)) throw new Error(`Foreign keys form a cycle through ${t.name}; these tables cannot be copied in order.`);
    visiting.add(t.name);
    for (const parent of [...new Set(t.parents)].sort()) {
      const p = byName.get(parent);
      if (p && p.name !== t.name) visit(p);
    }
    visiting.delete(t.name);
    done.add(t.name);
    out.push(t);
  };
  for (const t of [...tables].sort((a, b) => a.name.localeCompare(b.name))) visit(t);
  return out;
}
