import type { Role, StaffPermission } from '../../../shared/domain/roles';
import type { QueuesRepo } from '../interactions/queues-repo';
import type { UsersRepo } from './users-repo';

/** The demo org every fresh development start gets; all passwords are `demo`. */
export const DEMO_USERS: { username: string; displayName: string; role: Role; permissions?: StaffPermission[] }[] = [
  { username: 'agent1', displayName: 'Ada Agent', role: 'agent' },
  { username: 'agent2', displayName: 'Ben Agent', role: 'agent' },
  { username: 'agent3', displayName: 'Cleo Agent', role: 'agent' },
  { username: 'super1', displayName: 'Sam Supervisor', role: 'supervisor', permissions: ['sensitive'] },
  { username: 'super2', displayName: 'Sky Supervisor', role: 'supervisor' },
  { username: 'admin', displayName: 'Avery Admin', role: 'admin' },
  { username: 'privacy1', displayName: 'Pat Privacy', role: 'privacy' },
];
export const DEMO_PASSWORD = 'demo';

/** The demo queues: agent1 and agent2 take both, agent3 only Billing. */
export const DEMO_QUEUES: { id: string; name: string; members: string[]; dispositions: string[] }[] = [
  { id: 'general', name: 'General', members: ['agent1', 'agent2'], dispositions: ['Resolved', 'Follow-up needed', 'Not resolved', 'Spam'] },
  {
    id: 'billing',
    name: 'Billing',
    members: ['agent1', 'agent2', 'agent3'],
    dispositions: ['Payment taken', 'Refund issued', 'Billing question answered', 'Escalated'],
  },
];

/**
 * Seeds the demo org when the database has no users at all; returns whether it did. A demo
 * database seeded before the privacy role existed gets its privacy officer added.
 */
export async function seedDemoOrg(users: UsersRepo): Promise<boolean> {
  if ((await users.count()) > 0) {
    for (const user of DEMO_USERS.filter((u) => u.role === 'privacy')) if (!(await users.findByUsername(user.username))) await users.create({ ...user, password: DEMO_PASSWORD });
    return false;
  }
  for (const user of DEMO_USERS) await users.create({ ...user, password: DEMO_PASSWORD });
  return true;
}

/**
 * Creates the demo queues, or brings them back to their definition, on every demo start: also for
 * a database seeded before queues existed. The offer timeout follows the configuration, so a
 * development server started with a short VEILDESK_OFFER_TIMEOUT_MS gets it. Members are the demo
 * agents that exist (a renamed or missing one is skipped).
 */
export async function seedDemoQueues(users: UsersRepo, queues: QueuesRepo, opts: { offerTimeoutMs: number }): Promise<void> {
  for (const queue of DEMO_QUEUES) {
    const memberIds: string[] = [];
    for (const username of queue.members) {
      const row = await users.findByUsername(username);
      if (row?.role === 'agent') memberIds.push(row.id);
    }
    await queues.upsert({ id: queue.id, name: queue.name, dispositions: queue.dispositions, offerTimeoutMs: opts.offerTimeoutMs, memberIds });
  }
}
