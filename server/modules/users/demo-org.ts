import type { Role } from '../../../shared/domain/roles';
import type { UsersRepo } from './users-repo';

/** The demo org every fresh development start gets; all passwords are `demo`. */
export const DEMO_USERS: { username: string; displayName: string; role: Role }[] = [
  { username: 'agent1', displayName: 'Ada Agent', role: 'agent' },
  { username: 'agent2', displayName: 'Ben Agent', role: 'agent' },
  { username: 'agent3', displayName: 'Cleo Agent', role: 'agent' },
  { username: 'super1', displayName: 'Sam Supervisor', role: 'supervisor' },
  { username: 'super2', displayName: 'Sky Supervisor', role: 'supervisor' },
  { username: 'admin', displayName: 'Avery Admin', role: 'admin' },
];
export const DEMO_PASSWORD = 'demo';

/** Seeds the demo org when the database has no users at all; returns whether it did. */
export async function seedDemoOrg(users: UsersRepo): Promise<boolean> {
  if ((await users.count()) > 0) return false;
  for (const user of DEMO_USERS) await users.create({ ...user, password: DEMO_PASSWORD });
  return true;
}
