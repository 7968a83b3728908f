import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildImportGraph, exampleCycle, findCycleGroups, type ImportGraph } from './import-graph';

/** Import circles make load order fragile and folders impossible to understand one at a time. */
const ROOT = path.resolve(import.meta.dirname, '../../..');
const FOLDERS = ['shared', 'browser', 'renderer', 'widget', 'main', 'preload', 'server', 'scripts', 'bench', 'test'];


/**
 * The zustand store's type is assembled from the slices' types (renderer/app/store-types.ts) and
 * every slice reads the store's type back: a type-only slice/store pair by design. A circle that
 * goes only through this hub is allowed; removing the hub must leave no circle.
 */
const TYPE_HUBS = ['renderer/app/store-types.ts'];

function throughHubOnly(graph: ImportGraph, group: readonly string[]): boolean {
  if (!group.some((file) => TYPE_HUBS.includes(file))) return false;
  const members = new Set(group.filter((file) => !TYPE_HUBS.includes(file)));
  const withoutHub: ImportGraph = new Map([...members].map((file) => [file, (graph.get(file) ?? []).filter((to) => members.has(to))]));
  return findCycleGroups(withoutHub).length === 0;
}

function describeGroups(graph: ImportGraph, groups: string[][]): string {
  return groups.map((group) => `${group.length} files, e.g. ${exampleCycle(graph, group).join(' → ')}\n  ${group.join('\n  ')}`).join('\n');
}

describe('import cycles', () => {
  it('no circle of run-time imports (type-only imports left out)', () => {
    const graph = buildImportGraph(ROOT, FOLDERS);
    const groups = findCycleGroups(graph);
    expect(groups, describeGroups(graph, groups)).toEqual([]);
  });

  it('no circle counting type-only imports, except the store/slice type pair', () => {
    const graph = buildImportGraph(ROOT, FOLDERS, { includeTypeOnly: true });
    const unknown = findCycleGroups(graph).filter((group) => !throughHubOnly(graph, group));
    expect(unknown, describeGroups(graph, unknown)).toEqual([]);
  });

  it('the cycle finder sees a circle', () => {
    const graph: ImportGraph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(findCycleGroups(graph)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    expect(exampleCycle(graph, ['a.ts', 'b.ts', 'c.ts'])).toEqual(['a.ts', 'b.ts', 'c.ts', 'a.ts']);
  });
});
