import type { ReportResponse } from '../../../shared/api/reports';

/**
 * The report as CSV: one line per row, one column per disposition seen in the range. Durations in
 * seconds (one decimal). A cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR) is
 * prefixed with a quote; every cell is quoted.
 */
export function reportCsv(report: ReportResponse): string {
  const dispositions = [...new Set(report.rows.flatMap((r) => Object.keys(r.dispositions)))].sort();
  const header = [
    report.group,
    `${report.group} id`,
    `${report.bucket} (UTC)`,
    'offered',
    'answered',
    'abandoned',
    'wait p50 (s)',
    'wait p90 (s)',
    'handle p50 (s)',
    'handle p90 (s)',
    'transfers',
    'secure pauses',
    'sensitive',
    ...dispositions.map((d) => `disposition: ${d}`),
  ];
  const lines = [header];
  for (const r of report.rows) {
    lines.push([
      r.group.name,
      r.group.id,
      r.bucket,
      String(r.offered),
      String(r.answered),
      String(r.abandoned),
      seconds(r.waitP50Ms),
      seconds(r.waitP90Ms),
      seconds(r.handleP50Ms),
      seconds(r.handleP90Ms),
      String(r.transfers),
      String(r.securePauses),
      String(r.sensitive),
      ...dispositions.map((d) => String(r.dispositions[d] ?? 0)),
    ]);
  }
  return lines.map((line) => line.map(cell).join(',')).join('\r\n') + '\r\n';
}

const seconds = (ms: number | null) => (ms === null ? '' : (ms / 1000).toFixed(1));

function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}
