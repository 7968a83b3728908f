import type { ReportBucket, ReportRow } from '../../../shared';
import { dispositionsText, seconds } from './report-range';

/** A bucket's start as the table shows it: the UTC day, or day and hour. */
function bucketLabel(iso: string, bucket: ReportBucket): string {
  return bucket === 'day' ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** The report's rows: counts and durations only; sensitive interactions are a count, never a line. */
export function ReportTable({ rows, bucket, group }: { rows: readonly ReportRow[]; bucket: ReportBucket; group: 'queue' | 'agent' }) {
  if (rows.length === 0) return <p className="muted empty" data-testid="report-empty">No interactions in this range.</p>;
  return (
    <div className="report-scroll">
      <table className="report-table" data-testid="report-table">
        <thead>
          <tr>
            <th scope="col">{group === 'queue' ? 'Queue' : 'Agent'}</th>
            <th scope="col">{bucket === 'day' ? 'Day' : 'Hour'}</th>
            <th scope="col">Offered</th>
            <th scope="col">Answered</th>
            <th scope="col">Abandoned</th>
            <th scope="col">Wait p50</th>
            <th scope="col">Wait p90</th>
            <th scope="col">Handle p50</th>
            <th scope="col">Handle p90</th>
            <th scope="col">Dispositions</th>
            <th scope="col">Transfers</th>
            <th scope="col">Secure pauses</th>
            <th scope="col">Sensitive</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.group.id}|${r.bucket}`} data-testid="report-row" data-group={r.group.id} data-bucket={r.bucket}>
              <td>{r.group.name}</td>
              <td>{bucketLabel(r.bucket, bucket)}</td>
              <td>{r.offered}</td>
              <td>{r.answered}</td>
              <td>{r.abandoned}</td>
              <td>{seconds(r.waitP50Ms)}</td>
              <td>{seconds(r.waitP90Ms)}</td>
              <td>{seconds(r.handleP50Ms)}</td>
              <td>{seconds(r.handleP90Ms)}</td>
              <td>{dispositionsText(r)}</td>
              <td>{r.transfers}</td>
              <td>{r.securePauses}</td>
              <td>{r.sensitive}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
