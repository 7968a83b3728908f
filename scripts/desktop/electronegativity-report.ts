/**
 * Reads Electronegativity's own CSV report and decides whether the desktop app passes: no finding
 * of MEDIUM severity or above. Pure, so the rule is unit-tested apart from the scan.
 */

export const SEVERITIES = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];
/** The lowest severity that fails the check. */
export const FAILING_SEVERITY: Severity = 'MEDIUM';

export interface Finding {
  issue: string;
  severity: Severity;
  confidence: string;
  file: string;
  location: string;
  sample: string;
  description: string;
}

export interface Report {
  findings: Finding[];
  /** Lines that did not parse as a finding (the tool writes header and rows concurrently, so a
   * report with findings can come out mangled); each counts as a failure. */
  unreadable: string[];
}

/** Splits one CSV line: fields are bare or double-quoted with "" for a quote. */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else field += char;
  }
  fields.push(field);
  return fields;
}

const HEADER = 'issue, severity, confidence, filename, location, sample, description, url';

export function parseReport(csv: string): Report {
  const lines = csv.split(/\r?\n/).filter((line) => line.trim() !== '');
  const findings: Finding[] = [];
  const unreadable: string[] = [];
  if (lines[0] !== HEADER) unreadable.push(lines[0] ?? '(empty report: no header)');
  for (const line of lines.slice(1)) {
    const [issue = '', severity = '', confidence = '', file = '', location = '', sample = '', description = ''] = splitCsvLine(line);
    if (!/^[A-Z0-9_]+_CHECK$/.test(issue) || !(SEVERITIES as readonly string[]).includes(severity)) {
      unreadable.push(line);
      continue;
    }
    findings.push({ issue, severity: severity as Severity, confidence, file, location, sample, description });
  }
  return { findings, unreadable };
}

export function isFailing(finding: Finding): boolean {
  return SEVERITIES.indexOf(finding.severity) >= SEVERITIES.indexOf(FAILING_SEVERITY);
}

export function countBySeverity(report: Report): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const finding of report.findings) counts[finding.severity]++;
  return counts;
}

/** The sentence the script prints, and whether it passes. */
export function judge(report: Report): { ok: boolean; lines: string[] } {
  const failing = report.findings.filter(isFailing);
  const counts = countBySeverity(report);
  const lines = [`Electronegativity: ${SEVERITIES.map((s) => `${counts[s]} ${s.toLowerCase()}`).join(', ')}`];
  for (const f of failing) lines.push(`  ${f.severity} ${f.issue} at ${f.file}:${f.location} (${f.description})`);
  for (const line of report.unreadable) lines.push(`  unreadable report line: ${line.slice(0, 200)}`);
  const ok = failing.length === 0 && report.unreadable.length === 0;
  if (!ok) {
    lines.push(
      'Fix the finding, or after review annotate the line with `// eng-disable <CHECK_ID>` and the reason ' +
        '(docs/desktop-security.md, "Electronegativity").',
    );
  }
  return { ok, lines };
}
