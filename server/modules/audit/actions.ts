/** Every audited action name in one place, so reports and tests do not chase string literals. */
export const AuditAction = {
  login: 'auth.login',
  loginFailed: 'auth.login_failed',
  loginRateLimited: 'auth.login_rate_limited',
  logout: 'auth.logout',
  presenceChanged: 'presence.changed',
  userCreated: 'user.created',
  shareStarted: 'share.started',
  shareStopped: 'share.stopped',
  shareRegionChanged: 'share.region_changed',
  shareMasksChanged: 'share.masks_changed',
  shareBlanked: 'share.blanked',
  shareViewerAdded: 'share.viewer_added',
  shareViewerRevoked: 'share.viewer_revoked',
  shareJoined: 'share.joined',
  shareLeft: 'share.left',
  shareRefused: 'share.refused',
} as const;
export type AuditActionName = (typeof AuditAction)[keyof typeof AuditAction];
