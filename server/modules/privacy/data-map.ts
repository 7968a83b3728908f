import type { ModuleDataMap } from '../../kernel/data-map';
import { auditDataMap } from '../audit/data-map';
import { authDataMap } from '../auth/data-map';
import { cannedResponsesDataMap } from '../canned-responses/data-map';
import { evaluationsDataMap } from '../evaluations/data-map';
import { consentDataMap } from '../consent/data-map';
import { interactionsDataMap } from '../interactions/data-map';
import { monitoringDataMap } from '../monitoring/data-map';
import { noticeCampaignsDataMap } from '../notice-campaigns/data-map';
import { privacyExportDataMap } from './export/data-map';
import { privacyNoticesDataMap } from '../privacy-notices/data-map';
import { recordingsDataMap } from '../recordings/data-map';
import { redactionDataMap } from '../redaction/data-map';
import { reportsDataMap } from '../reports/data-map';
import { sensitiveKeywordsDataMap } from '../sensitive-keywords/data-map';
import { retentionDataMap } from '../retention/data-map';
import { securePauseDataMap } from '../secure-pause/data-map';
import { syncDataMap } from '../sync/data-map';
import { usersDataMap } from '../users/data-map';
import { privacyRequestsDataMap } from './requests/data-map';

/**
 * The one privacy data map: every module's stores. Privacy requests (find, export, rectify, erase)
 * and retention iterate over it; test/integration/data-map.test.ts fails when the database has a
 * table or column this map does not classify, so no store can be added that they cannot reach.
 */
export const DATA_MAP: readonly ModuleDataMap[] = [
  usersDataMap,
  authDataMap,
  auditDataMap,
  interactionsDataMap,
  recordingsDataMap,
  securePauseDataMap,
  syncDataMap,
  monitoringDataMap,
  redactionDataMap,
  sensitiveKeywordsDataMap,
  cannedResponsesDataMap,
  evaluationsDataMap,
  retentionDataMap,
  privacyExportDataMap,
  consentDataMap,
  privacyRequestsDataMap,
  privacyNoticesDataMap,
  noticeCampaignsDataMap,
  reportsDataMap,
];
