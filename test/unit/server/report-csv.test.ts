import { describe, expect, it } from 'vitest';
import { reportCsv } from '../../../server/modules/reports/csv';

describe('report CSV', () => {
  it('quotes every cell, doubles quotes, and defuses cells a spreadsheet would run as formulas', () => {
    const csv = reportCsv({
      from: '2026-03-02T00:00:00.000Z',
      to: '2026-03-03T00:00:00.000Z',
      group: 'queue',
      bucket: 'day',
      rows: [
        {
          group: { kind: 'queue', id: 'q1', name: '=HYPERLINK("x")' },
          bucket: '2026-03-02T00:00:00.000Z',
          offered: 2,
          answered: 1,
          abandoned: 1,
          waitP50Ms: 1_250,
          waitP90Ms: null,
          handleP50Ms: null,
          handleP90Ms: null,
          dispositions: { '@sum': 1 },
          transfers: 0,
          securePauses: 0,
          sensitive: 0,
        },
      ],
    });
    const [header, row] = csv.split('\r\n');
    expect(header).toContain(`"disposition: @sum"`);
    expect(row).toBe(`"'=HYPERLINK(""x"")","q1","2026-03-02T00:00:00.000Z","2","1","1","1.3","","","","0","0","0","1"`);
  });
});
