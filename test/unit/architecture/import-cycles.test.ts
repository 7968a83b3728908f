import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildImportGraph, exampleCycle, findCycleGroups, type ImportGraph } from './import-graph';

/** Import circles make load order fragile and folders impossible to understand one at a time. */
const ROOT = path.resolve(import.meta.dirname, '../../..');
const FOLDERS = ['shared', 'browser', 'renderer', 'widget', 'main', 'preload', 'server', 'scripts', 'bench', 'test'];

/**
 * Circles known today, all through type-only imports. A circle found must lie inside one of these
 * groups (a smaller one is fine); anything else fails. The integrator empties this list after merging.
 */
const KNOWN_TYPE_CYCLES: ReadonlyArray<{ why: string; files: readonly string[] }> = [
  {
    why: 'removed by the server kernel refactor (issue 13): server/ws/handlers.ts types the modules, which import it back',
    files: [
      'server/modules/interactions/board.ts',
      'server/modules/interactions/calls.ts',
      'server/modules/interactions/chat.ts',
      'server/modules/interactions/connections.ts',
      'server/modules/interactions/ending.ts',
      'server/modules/interactions/http-routes.ts',
      'server/modules/interactions/interaction-service.ts',
      'server/modules/interactions/module.ts',
      'server/modules/interactions/recovery.ts',
      'server/modules/interactions/transfer.ts',
      'server/modules/interactions/widget-routes.ts',
      'server/modules/interactions/wrapup.ts',
      'server/modules/media/media-room.ts',
      'server/modules/media/media-service.ts',
      'server/modules/monitoring/monitoring-service.ts',
      'server/modules/recordings/recording-service.ts',
      'server/modules/shares/share-registry.ts',
      'server/ws/handlers.ts',
    ],
  },
  {
    why: 'renderer slices (owned by the renderer work of issue 13, not changed here): app/store-types.ts assembles the slice types and every slice imports the store type back',
    files: [
      'renderer/app/store-types.ts',
      'renderer/features/auth/auth-slice.ts',
      'renderer/features/board/board-slice.ts',
      'renderer/features/calls/calls-slice.ts',
      'renderer/features/chats/chats-slice.ts',
      'renderer/features/connection/connection-slice.ts',
      'renderer/features/history/history-slice.ts',
      'renderer/features/localdata/localdata-slice.ts',
      'renderer/features/monitoring/monitoring-slice.ts',
      'renderer/features/offers/offers-slice.ts',
      'renderer/features/presence/presence-slice.ts',
      'renderer/features/recording/recording-slice.ts',
      'renderer/features/roster/roster-slice.ts',
      'renderer/features/share/share-frames.ts',
      'renderer/features/share/share-slice.ts',
      'renderer/features/workspace/frame-routing.ts',
      'renderer/features/workspace/workspace-slice.ts',
      'renderer/features/wrapup/wrapup-slice.ts',
    ],
  },
];

function describeGroups(graph: ImportGraph, groups: string[][]): string {
  return groups.map((group) => `${group.length} files, e.g. ${exampleCycle(graph, group).join(' → ')}\n  ${group.join('\n  ')}`).join('\n');
}

describe('import cycles', () => {
  it('no circle of run-time imports (type-only imports left out)', () => {
    const graph = buildImportGraph(ROOT, FOLDERS);
    const groups = findCycleGroups(graph);
    expect(groups, describeGroups(graph, groups)).toEqual([]);
  });

  it('no circle counting type-only imports, except the known ones', () => {
    const graph = buildImportGraph(ROOT, FOLDERS, { includeTypeOnly: true });
    const unknown = findCycleGroups(graph).filter((group) => !KNOWN_TYPE_CYCLES.some((known) => group.every((file) => known.files.includes(file))));
    expect(unknown, describeGroups(graph, unknown)).toEqual([]);
  });

  it('the known circles are still there (otherwise remove them from KNOWN_TYPE_CYCLES)', () => {
    const groups = findCycleGroups(buildImportGraph(ROOT, FOLDERS, { includeTypeOnly: true }));
    const gone = KNOWN_TYPE_CYCLES.filter((known) => !groups.some((group) => group.some((file) => known.files.includes(file))));
    expect(gone.map((known) => known.why)).toEqual([]);
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
