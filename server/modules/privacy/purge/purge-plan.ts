import type { ModuleDataMap, RetentionClass, TableMapEntry } from '../../../kernel/data-map';

/** The retention classes a purge can remove (audit and sessions age by their own rules). */
export type PurgeClass = Extract<RetentionClass, 'transcripts' | 'recordings' | 'contacts' | 'interactions'>;
export const PURGE_CLASSES: readonly PurgeClass[] = ['transcripts', 'recordings', 'contacts', 'interactions'];

/** How a table's rows are tied to an interaction. */
export type InteractionLink =
  /** The table has the interaction id in `column`. */
  | { kind: 'direct'; column: string }
  /** Through a parent table: `fk` holds the parent's `id`, the parent's `parentColumn` the interaction id. */
  | { kind: 'via'; parent: string; parentColumn: string; fk: string };

/** One table a purge of the given classes reaches, and what it does there. */
export interface PurgeTarget {
  table: string;
  link: InteractionLink;
  action: { kind: 'delete' } | { kind: 'clear'; columns: readonly string[] };
  /** Deleted rows are tombstoned under this local-cache kind (entity id = row id). */
  syncKind?: string;
}

/** `recordings.interaction_id via recording_id` (the data map's notation for a child table). */
const VIA = /^([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*) via ([a-z_][a-z0-9_]*)$/;
const COLUMN = /^[a-z_][a-z0-9_]*$/;

export function parseLink(interactionColumn: string): InteractionLink | null {
  if (COLUMN.test(interactionColumn)) return { kind: 'direct', column: interactionColumn };
  const via = VIA.exec(interactionColumn);
  return via ? { kind: 'via', parent: via[1]!, parentColumn: via[2]!, fk: via[3]! } : null;
}

/** The columns a clear rule empties for these classes. */
function clearedColumns(entry: TableMapEntry, columns: readonly string[], classes: ReadonlySet<PurgeClass>): string[] {
  if (!entry.retentionColumns) return entry.retention && classes.has(entry.retention as PurgeClass) ? [...columns] : [];
  const out = new Set<string>();
  for (const [cls, cols] of Object.entries(entry.retentionColumns)) if (classes.has(cls as PurgeClass)) for (const c of cols ?? []) if (columns.includes(c)) out.add(c);
  return [...out];
}

/**
 * Reads the data map into the tables a purge of `classes` reaches: every table found through an
 * interaction (find.interactionColumn) whose erase rule deletes or clears and whose retention class
 * is among `classes`. Child tables (reached through a parent) come first so their parent's rows
 * are still there to find them, and foreign keys hold; `keep` rules are left alone.
 */
export function planPurge(map: readonly ModuleDataMap[], classes: readonly PurgeClass[]): PurgeTarget[] {
  const wanted = new Set(classes);
  const targets: PurgeTarget[] = [];
  for (const entry of map.flatMap((m) => m.tables)) {
    const column = entry.find?.interactionColumn;
    const erase = entry.erase;
    if (!column || !erase || erase.kind === 'keep') continue;
    const link = parseLink(column);
    if (!link) throw new Error(`privacy: ${entry.table}'s interactionColumn "${column}" is neither a column nor "table.column via fk"`);
    if (erase.kind === 'delete') {
      if (!entry.retention || !wanted.has(entry.retention as PurgeClass)) continue;
      targets.push({ table: entry.table, link, action: { kind: 'delete' }, ...(entry.syncKind ? { syncKind: entry.syncKind } : {}) });
    } else {
      const columns = clearedColumns(entry, erase.columns, wanted);
      if (columns.length > 0) targets.push({ table: entry.table, link, action: { kind: 'clear', columns } });
    }
  }
  // Children first, then direct deletes, then clears; the interactions row itself is cleared last
  // (other tables' clears, e.g. notice recipients, come before it whatever the map's order).
  const rank = (t: PurgeTarget) => (t.link.kind === 'via' ? 0 : t.action.kind === 'delete' ? 1 : t.table === 'interactions' ? 3 : 2);
  return targets.sort((a, b) => rank(a) - rank(b));
}
