import type { Migration } from 'kysely';
import * as initial from './001-initial';
import * as interactions from './002-interactions';
import * as recordings from './003-recordings';
import * as monitoringPolicy from './004-monitoring-policy';
import * as recordingSegments from './005-recording-segments';
import * as sync from './006-sync';
import * as redactionPolicy from './007-redaction-policy';
import * as sensitive from './008-sensitive';
import * as childProtection from './009-child-protection';
import * as retention from './011-retention';
import * as consent from './012-consent';
import * as reports from './015-reports';

/** Every migration, in order. Names sort lexically; never rename or edit one that has shipped. */
export const migrations: Record<string, Migration> = {
  '001-initial': initial,
  '002-interactions': interactions,
  '003-recordings': recordings,
  '004-monitoring-policy': monitoringPolicy,
  '005-recording-segments': recordingSegments,
  '006-sync': sync,
  '007-redaction-policy': redactionPolicy,
  '008-sensitive': sensitive,
  '009-child-protection': childProtection,
  // 010 is the privacy requests' (privacy-core branch).
  '011-retention': retention,
  '012-consent': consent,
  // 013 and 014 belong to other branches.
  '015-reports': reports,
};
