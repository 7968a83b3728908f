import { describe, expect, it } from 'vitest';
import type { User } from '../../../../shared/domain/roles';
import type { AuditLog } from '../../../../server/modules/audit/audit-log';
import { BoardPublisher } from '../../../../server/modules/interactions/board';
import type { InteractionService } from '../../../../server/modules/interactions/interaction-service';
import type { LiveInteraction } from '../../../../server/modules/interactions/live';
import { PresenceService } from '../../../../server/modules/presence/presence-service';

/**
 * The board keeps each agent's activity up to date on every change of any interaction or presence.
 * A node taking back every agent and chat after a failover makes thousands of changes in seconds,
 * so that work must grow with agents + interactions, not agents × interactions (bench/cluster: it
 * was half the surviving node's CPU).
 */
async function boardWith(agents: number, interactions: number): Promise<BoardPublisher> {
  const audit = { append: async () => undefined } as unknown as AuditLog;
  const presence = new PresenceService({ audit, graceMs: 0 });
  const users: User[] = Array.from({ length: agents }, (_, i) => ({ id: `u${i}`, username: `agent${i}`, displayName: `Agent ${i}`, role: 'agent' }) as User);
  for (const user of users) await presence.connected(user);
  const live = new Map<string, LiveInteraction>();
  for (let i = 0; i < interactions; i++) {
    live.set(`i${i}`, { id: `i${i}`, kind: 'chat', status: 'active', agentId: `u${i % agents}`, offer: null } as unknown as LiveInteraction);
  }
  const core = { onChange: () => undefined, live, inConsult: () => false, hub: { principals: () => [] } } as unknown as InteractionService;
  return new BoardPublisher(core, presence);
}

/** CPU ms of this process for `changes` board updates: the fastest of five (GC and preemption say nothing). */
function cpuMsFor(board: BoardPublisher, changes: number): number {
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const start = process.cpuUsage();
    for (let i = 0; i < changes; i++) board.changed();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

describe('board cost per change', () => {
  it('grows with agents plus interactions, not their product', async () => {
    const small = await boardWith(50, 200);
    const large = await boardWith(400, 1600);
    cpuMsFor(small, 20); // warm up the JIT on both before timing
    cpuMsFor(large, 20);
    const ratio = cpuMsFor(large, 40) / Math.max(cpuMsFor(small, 40), 0.2);
    // Eight times both: linear is ~8× (8.3–8.7 measured), agents × interactions ~64× (the old code,
    // whose linear parts dilute it: 35–37).
    expect(ratio).toBeLessThan(20);
  });
});
