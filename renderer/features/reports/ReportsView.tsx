import { useRef, useState } from 'react';
import type { ReportBucket, ReportRow } from '../../../shared';
import { useAppStore } from '../../app/store-context';
import { ApiError } from '../../net/api-client';
import { ReportEvaluationScores } from '../evaluations/ReportEvaluationScores';
import { BY_OPTIONS, dayString, partsOf, rangeOf } from './report-range';
import { fetchReport, fetchReportCsv } from './reports-api';
import { ReportTable } from './ReportTable';
import './reports.css';

const say = (err: unknown, fallback: string): string => (err instanceof ApiError ? err.message : fallback);

interface Shown {
  rows: ReportRow[];
  bucket: ReportBucket;
  group: 'queue' | 'agent';
}

/** What the view shows while it works: the parts of a long range fetched so far. */
export type ReportProgress = { done: number; total: number } | null;

/** The form, progress and table; split from the view's state so it renders without a server. */
export function ReportsPanel(props: {
  from: string;
  to: string;
  by: string;
  onChange(field: 'from' | 'to' | 'by', value: string): void;
  onRun(): void;
  onCsv(): void;
  progress: ReportProgress;
  error: string | null;
  shown: Shown | null;
  /** The range last run, for the evaluation averages under the table. */
  ran?: { from: string; to: string } | null;
}) {
  const busy = props.progress !== null;
  return (
    <section className="card" aria-labelledby="reports-title">
      <div className="card-header">
        <h2 id="reports-title">Reports</h2>
        <p className="muted small">Counts and times only: no customer details, no message text. Days and hours are UTC.</p>
      </div>
      <form
        className="report-form"
        onSubmit={(e) => {
          e.preventDefault();
          props.onRun();
        }}
      >
        <label>
          From
          <input type="date" data-testid="report-from" value={props.from} onChange={(e) => props.onChange('from', e.target.value)} />
        </label>
        <label>
          To
          <input type="date" data-testid="report-to" value={props.to} onChange={(e) => props.onChange('to', e.target.value)} />
        </label>
        <label>
          By
          <select data-testid="report-by" value={props.by} onChange={(e) => props.onChange('by', e.target.value)}>
            {BY_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button-primary" data-testid="report-run" disabled={busy}>
          Run
        </button>
        <button type="button" className="button-secondary" data-testid="report-csv" disabled={busy} onClick={props.onCsv}>
          Download CSV
        </button>
      </form>
      {props.progress && (
        <p className="muted" role="status" data-testid="report-progress">
          Loading… {props.progress.done} of {props.progress.total} {props.progress.total === 1 ? 'part' : 'parts'} ready
          <progress max={props.progress.total} value={props.progress.done} />
        </p>
      )}
      {props.error && (
        <p className="inline-error" role="alert" data-testid="report-error">
          {props.error}
        </p>
      )}
      {props.shown && <ReportTable rows={props.shown.rows} bucket={props.shown.bucket} group={props.shown.group} />}
      {props.ran && <ReportEvaluationScores range={props.ran} />}
    </section>
  );
}

/**
 * Reports (supervisors, admins): per queue or per agent of the caller's team, per UTC day or hour.
 * A range longer than a week is fetched a week at a time, so a long range shows its progress and
 * each request stays small; the CSV is one request for the whole range.
 */
export function ReportsView() {
  const serverUrl = useAppStore((s) => s.auth.serverUrl);
  const token = useAppStore((s) => s.auth.token);
  const [form, setForm] = useState(() => ({ from: dayString(Date.now(), 6), to: dayString(Date.now()), by: 'queue,day' }));
  const [progress, setProgress] = useState<ReportProgress>(null);
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState<Shown | null>(null);
  const [ran, setRan] = useState<{ from: string; to: string } | null>(null);
  const run = useRef(0);

  const range = () => {
    const r = rangeOf(form.from, form.to);
    if ('error' in r) setError(r.error);
    return 'error' in r ? null : r;
  };

  const onRun = async () => {
    const r = range();
    if (!r || !token) return;
    const mine = (run.current += 1);
    const parts = partsOf(r);
    const rows: ReportRow[] = [];
    setError(null);
    setProgress({ done: 0, total: parts.length });
    try {
      let last: { bucket: ReportBucket; group: 'queue' | 'agent' } | null = null;
      for (const [i, part] of parts.entries()) {
        const answer = await fetchReport(serverUrl, token, { ...part, by: form.by });
        if (mine !== run.current) return;
        rows.push(...answer.rows);
        last = { bucket: answer.bucket, group: answer.group };
        setProgress({ done: i + 1, total: parts.length });
      }
      if (last) setShown({ rows, ...last });
      setRan(r);
    } catch (err) {
      if (mine === run.current) setError(say(err, 'Could not load the report.'));
    } finally {
      if (mine === run.current) setProgress(null);
    }
  };

  const onCsv = async () => {
    const r = range();
    if (!r || !token) return;
    setError(null);
    try {
      const { blob, fileName } = await fetchReportCsv(serverUrl, token, { ...r, by: form.by });
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = fileName;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 0);
    } catch (err) {
      setError(say(err, 'Could not download the CSV.'));
    }
  };

  return (
    <ReportsPanel
      {...form}
      onChange={(field, value) => setForm((f) => ({ ...f, [field]: value }))}
      onRun={() => void onRun()}
      onCsv={() => void onCsv()}
      progress={progress}
      error={error}
      shown={shown}
      ran={ran}
    />
  );
}
