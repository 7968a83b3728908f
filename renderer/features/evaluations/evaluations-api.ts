import {
  Evaluation,
  EvaluationReport,
  EvaluationsResponse,
  routes,
  Scorecard,
  ScorecardsResponse,
  type CreateEvaluation,
  type ScorecardInput,
} from '../../../shared';
import { createAgentHttpClient } from '../../net/api-client';

/** The evaluation calls of the app (issue 20), each answer checked with its shared schema. */

const client = (serverUrl: string) => createAgentHttpClient({ baseUrl: serverUrl });

export async function listScorecards(serverUrl: string, token: string): Promise<Scorecard[]> {
  return (await client(serverUrl).call(routes.scorecards, { token, query: {}, check: ScorecardsResponse })).items;
}

export function createScorecard(serverUrl: string, token: string, body: ScorecardInput): Promise<Scorecard> {
  return client(serverUrl).call(routes.createScorecard, { token, body, check: Scorecard });
}

export function updateScorecard(serverUrl: string, token: string, id: string, body: ScorecardInput): Promise<Scorecard> {
  return client(serverUrl).call(routes.updateScorecard, { token, params: { id }, body, check: Scorecard });
}

export function archiveScorecard(serverUrl: string, token: string, id: string): Promise<Scorecard> {
  return client(serverUrl).call(routes.archiveScorecard, { token, params: { id }, check: Scorecard });
}

export function createEvaluation(serverUrl: string, token: string, body: CreateEvaluation): Promise<Evaluation> {
  return client(serverUrl).call(routes.createEvaluation, { token, body, check: Evaluation });
}

export async function interactionEvaluations(serverUrl: string, token: string, id: string): Promise<Evaluation[]> {
  return (await client(serverUrl).call(routes.interactionEvaluations, { token, params: { id }, check: EvaluationsResponse })).items;
}

export async function myEvaluations(serverUrl: string, token: string): Promise<Evaluation[]> {
  return (await client(serverUrl).call(routes.myEvaluations, { token, check: EvaluationsResponse })).items;
}

export function commentEvaluation(serverUrl: string, token: string, id: string, text: string): Promise<Evaluation> {
  return client(serverUrl).call(routes.commentEvaluation, { token, params: { id }, body: { text }, check: Evaluation });
}

export function evaluationReport(serverUrl: string, token: string, query: { from: string; to: string }): Promise<EvaluationReport> {
  return client(serverUrl).call(routes.evaluationReport, { token, query, check: EvaluationReport });
}

/** The caller's own evaluations as the server's JSON attachment (their export). */
export async function exportMyEvaluations(serverUrl: string, token: string): Promise<{ blob: Blob; fileName: string }> {
  const answer = await client(serverUrl).open(routes.exportMyEvaluations, { token });
  const fileName = /filename="([^"]+)"/.exec(answer.headers.get('content-disposition') ?? '')?.[1] ?? 'veildesk-my-evaluations.json';
  return { blob: await answer.blob(), fileName };
}
