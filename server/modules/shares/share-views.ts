import type { AvailableShare, OwnShare, SharePerson, ShareRect, ShareSource } from '../../../shared/api/ws-shares';
import type { User } from '../../../shared/domain/roles';
import { DomainError } from '../../kernel/errors';
import type { Share } from './share-types';

/** Pure pieces of the share registry: how a share looks to its sharer and to a viewer, and input checks. */

export const person = (u: User): SharePerson => ({ userId: u.id, username: u.username, displayName: u.displayName, role: u.role });
export const actor = (u: Pick<User, 'id' | 'username'>) => ({ id: u.id, username: u.username });

function within(rect: ShareRect, source: ShareSource): boolean {
  return rect.x + rect.width <= source.width && rect.y + rect.height <= source.height;
}

export const sameRect = (a: ShareRect, b: ShareRect) => a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;
export const sameRects = (a: ShareRect[], b: ShareRect[]) => a.length === b.length && a.every((r, i) => sameRect(r, b[i]!));

/** The region and every mask must lie inside the captured source. */
export function checkGeometry(source: ShareSource, region: ShareRect, masks: ShareRect[]): void {
  if (!within(region, source)) throw new DomainError('bad_request', `The region must lie inside the ${source.width}×${source.height} source.`);
  if (masks.some((m) => !within(m, source))) throw new DomainError('bad_request', `Every mask must lie inside the ${source.width}×${source.height} source.`);
}

/** The staff users behind viewer ids; the sharer and unknown ids are refused. */
export function resolveViewers(sharer: User, ids: string[], staff: User[]): User[] {
  const byId = new Map(staff.map((u) => [u.id, u]));
  const result: User[] = [];
  for (const id of new Set(ids)) {
    if (id === sharer.id) throw new DomainError('bad_request', 'You cannot be a viewer of your own share.');
    const user = byId.get(id);
    if (!user) throw new DomainError('bad_request', `Unknown viewer ${id}: choose from the org's users.`);
    result.push(user);
  }
  return result;
}

/** A share as a listed viewer sees it in their list. */
export function availableView(share: Share, userId: string): AvailableShare {
  return {
    shareId: share.id,
    sharerId: share.sharer.id,
    sharerName: share.sharer.displayName,
    startedAt: share.startedAt.toISOString(),
    width: share.region.width,
    height: share.region.height,
    blanked: share.blanked,
    watching: share.watchers.has(userId),
  };
}

/** The sharer's own view: geometry, viewers and who watches now. */
export function ownView(share: Share): OwnShare {
  return {
    shareId: share.id,
    startedAt: share.startedAt.toISOString(),
    source: share.source,
    region: share.region,
    masks: share.masks,
    blanked: share.blanked,
    viewers: [...share.viewers.values()].map(person).sort((a, b) => a.username.localeCompare(b.username)),
    watchers: [...share.watchers.values()].map((w) => ({ ...person(w.user), since: w.since.toISOString() })).sort((a, b) => a.username.localeCompare(b.username)),
  };
}
