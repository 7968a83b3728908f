/** Every audited action name in one place, so reports and tests do not chase string literals. */
export const AuditAction = {
  login: 'auth.login',
  loginFailed: 'auth.login_failed',
  loginRateLimited: 'auth.login_rate_limited',
  logout: 'auth.logout',
  presenceChanged: 'presence.changed',
  userCreated: 'user.created',
} as const;
export type AuditActionName = (typeof AuditAction)[keyof typeof AuditAction];
