import { type RosterEntry } from '../../../shared';

/** Roster rows keyed by user id, so a change replaces exactly one row. */
export type RosterMap = Readonly<Record<string, RosterEntry>>;

export function rosterFromSnapshot(agents: readonly RosterEntry[]): RosterMap {
  const map: Record<string, RosterEntry> = {};
  for (const agent of agents) map[agent.userId] = agent;
  return map;
}

export function rosterWithChange(roster: RosterMap, agent: RosterEntry): RosterMap {
  return { ...roster, [agent.userId]: agent };
}

/** Code-point order on username: stable, locale-independent, and usernames are plain ASCII. */
export function sortByUsername(roster: RosterMap): RosterEntry[] {
  return Object.values(roster).sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0));
}
