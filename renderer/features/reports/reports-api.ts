import { ReportResponse, routes } from '../../../shared';
import { createAgentHttpClient } from '../../net/api-client';

/** The report calls of the app (supervisors, admins), answers checked with the shared schema. */

export interface ReportRequest {
  from: string;
  to: string;
  by: string;
}

export async function fetchReport(serverUrl: string, token: string, query: ReportRequest, fetchImpl?: typeof fetch): Promise<ReportResponse> {
  const http = createAgentHttpClient({ baseUrl: serverUrl, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
  return http.call(routes.reports, { token, query, check: ReportResponse, unreadable: 'The server sent a report this app cannot read; update the app.' });
}

/** The CSV as a Blob (the server sets the file name; the view saves it under the same one). */
export async function fetchReportCsv(serverUrl: string, token: string, query: ReportRequest, fetchImpl?: typeof fetch): Promise<{ blob: Blob; fileName: string }> {
  const http = createAgentHttpClient({ baseUrl: serverUrl, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
  const answer = await http.open(routes.reportsCsv, { token, query });
  const fileName = /filename="([^"]+)"/.exec(answer.headers.get('content-disposition') ?? '')?.[1] ?? 'veildesk-report.csv';
  return { blob: await answer.blob(), fileName };
}
