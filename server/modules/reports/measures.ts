import { percentile } from './percentiles';
import type { InteractionFact } from './report-source';

/** The measures of a set of interactions (one report row or one statistics cell). */
export interface Measures {
  answered: number;
  abandoned: number;
  waitP50Ms: number | null;
  waitP90Ms: number | null;
  handleP50Ms: number | null;
  handleP90Ms: number | null;
  transfers: number;
  securePauses: number;
  dispositions: Record<string, number>;
  sensitive: number;
}

const ms = (iso: string) => Date.parse(iso);

/**
 * Wait: created to answered (answered ones). Handle: answered to the end of the wrap-up, or to the
 * end when there was no wrap-up (ended ones). Abandoned: the customer left before an answer.
 */
export function measure(facts: readonly InteractionFact[]): Measures {
  const waits: number[] = [];
  const handles: number[] = [];
  const dispositions: Record<string, number> = {};
  let answered = 0;
  let abandoned = 0;
  let transfers = 0;
  let securePauses = 0;
  let sensitive = 0;
  for (const f of facts) {
    if (f.answeredAt !== null) {
      answered += 1;
      waits.push(Math.max(0, ms(f.answeredAt) - ms(f.createdAt)));
      const end = f.wrapupAt ?? f.endedAt;
      if (end !== null) handles.push(Math.max(0, ms(end) - ms(f.answeredAt)));
    } else if (f.status === 'abandoned') abandoned += 1;
    if (f.disposition) dispositions[f.disposition] = (dispositions[f.disposition] ?? 0) + 1;
    transfers += f.transfers;
    securePauses += f.securePauses;
    if (f.sensitive) sensitive += 1;
  }
  return {
    answered,
    abandoned,
    waitP50Ms: percentile(waits, 50),
    waitP90Ms: percentile(waits, 90),
    handleP50Ms: percentile(handles, 50),
    handleP90Ms: percentile(handles, 90),
    transfers,
    securePauses,
    dispositions,
    sensitive,
  };
}
