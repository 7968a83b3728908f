import { type DesktopBridge } from '../../../shared';
import { type FatalReason } from '../../net/ws-client';

/** What to tell the user when the app and server no longer speak the same protocol. */
export function protocolMismatchMessage(kind: DesktopBridge['kind']): string {
  return kind === 'web'
    ? 'This page is out of date for the server. Reload the page to get the current version.'
    : 'This version of Veildesk cannot talk to the server any more. Update the app, then sign in again.';
}

/** Instruction shown for a refusal that must not be retried automatically. */
export function fatalMessage(reason: FatalReason, kind: DesktopBridge['kind']): string {
  switch (reason) {
    case 'unauthenticated':
      return 'Your session has expired or was revoked. Sign in again.';
    case 'signed-out':
      return 'You were signed out from another window or by an administrator. Sign in again.';
    case 'protocol-mismatch':
      return protocolMismatchMessage(kind);
    case 'account-changed':
      return 'An administrator changed your account or ended its sessions. Sign in again, or ask them if you cannot.';
    case 'password-change-required':
      return 'An administrator set your password. Sign in again to choose your own.';
    case 'policy-not-accepted':
      return 'A new privacy notice needs your acceptance before you work. Sign in again to read it.';
  }
}
