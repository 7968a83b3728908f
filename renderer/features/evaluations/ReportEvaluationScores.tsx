import { useEffect, useState } from 'react';
import type { EvaluationReport } from '../../../shared';
import { useAppStore } from '../../app/store-context';
import { ApiError } from '../../net/api-client';
import { evaluationReport } from './evaluations-api';
import './evaluations.css';

function Rows({ title, rows, kind }: { title: string; rows: EvaluationReport['agents']; kind: 'agent' | 'queue' }) {
  return (
    <table className="report-table">
      <caption>{title}</caption>
      <thead>
        <tr>
          <th scope="col">{kind === 'agent' ? 'Agent' : 'Queue'}</th>
          <th scope="col">Evaluations</th>
          <th scope="col">Average score</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id} data-testid="report-eval-row" data-kind={kind} data-id={r.id}>
            <th scope="row">{r.name}</th>
            <td>{r.evaluations}</td>
            <td data-testid="report-eval-score">{r.averageScore}</td>
          </tr>
        ))}
        {rows.length === 0 && (
          <tr>
            <td colSpan={3} className="muted">
              No evaluation in this range.
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

/** Average evaluation scores per agent (the caller's team) and per queue over the report's range. */
export function ReportEvaluationScores({ range }: { range: { from: string; to: string } }) {
  const serverUrl = useAppStore((s) => s.auth.serverUrl);
  const token = useAppStore((s) => s.auth.token);
  const [report, setReport] = useState<EvaluationReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!token) return;
    let live = true;
    evaluationReport(serverUrl, token, range).then(
      (r) => live && (setReport(r), setError(null)),
      (err: unknown) => live && setError(err instanceof ApiError ? err.message : 'Could not load the evaluation scores.'),
    );
    return () => {
      live = false;
    };
  }, [serverUrl, token, range]);
  return (
    <section className="report-eval" data-testid="report-evaluations" aria-label="Evaluation scores">
      <h3>Evaluation scores</h3>
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
      {report && (
        <>
          <Rows title="Per agent" rows={report.agents} kind="agent" />
          <Rows title="Per queue" rows={report.queues} kind="queue" />
        </>
      )}
    </section>
  );
}
