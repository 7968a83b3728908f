import { z } from 'zod';
import { isHttpsWithoutCredentials } from '../../shared/bridge/desktop-bridge';

/**
 * The update feed: a generic HTTPS folder holding latest*.yml, the installers and their blockmaps
 * (what electron-builder writes to release/). Plain http is refused: the feed names the sha512 the
 * download is checked against, so it must not be rewritable on the way.
 */
export const UpdateFeedUrl = z.string().max(2048).refine(isHttpsWithoutCredentials, 'the update feed must be an https:// address without credentials');

export type FeedChoice = { url: string; from: 'env' | 'settings' } | { url: null; reason: string };

/**
 * Where updates come from: VEILDESK_UPDATE_FEED_URL (IT's deployment), else `updateFeedUrl` in the
 * app's settings.json; neither means no automatic updates. An invalid value is reported, not used.
 */
export function chooseFeedUrl(env: NodeJS.ProcessEnv, fromSettings: string | undefined): FeedChoice {
  const candidates: Array<{ value: string | undefined; from: 'env' | 'settings'; name: string }> = [
    { value: env.VEILDESK_UPDATE_FEED_URL, from: 'env', name: 'VEILDESK_UPDATE_FEED_URL' },
    { value: fromSettings, from: 'settings', name: 'updateFeedUrl in settings.json' },
  ];
  for (const { value, from, name } of candidates) {
    if (value === undefined || value === '') continue;
    const parsed = UpdateFeedUrl.safeParse(value);
    if (!parsed.success) return { url: null, reason: `${name} is not used: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
    return { url: parsed.data, from };
  }
  return { url: null, reason: 'no update feed is configured (VEILDESK_UPDATE_FEED_URL or updateFeedUrl in settings.json)' };
}
