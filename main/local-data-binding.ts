import { createHash } from 'node:crypto';
import { MeResponse } from '../shared/api/http';
import { type LocalDataSessionProof, localScope, recorderKeyScope } from '../shared/bridge/desktop-bridge';
import { type Logger, silentLogger } from './log';

/**
 * Which user each window's local-data key requests are for. The renderer proves its sign-in with
 * the session token; main asks that server who the token belongs to (`GET /api/me`) and binds the
 * window to that user. A window then gets only its user's key (`<userId>@<host>`) and that server's
 * recorder key; the host in the scope is the server that answered, so a made-up server cannot
 * vouch for a user of another one. Plain module: main.ts passes fetch in.
 */

interface Binding {
  userScope: string;
  recorderScope: string;
  /** sha256 of the token checked, so a reload with the same session needs no server (offline). */
  tokenHash: string;
  userId: string;
  serverUrl: string;
  signedIn: boolean;
}

export class LocalDataBindingError extends Error {
  constructor(
    readonly code: 'forbidden_sender' | 'handler_failed',
    message: string,
  ) {
    super(message);
    this.name = 'LocalDataBindingError';
  }
}

export interface LocalDataBindings {
  /** Checks the proof with its server (or against this window's earlier check) and binds the window. */
  bind(sender: object, proof: LocalDataSessionProof): Promise<void>;
  /** Sign-out: reading stops; forgetting the key of the user who left stays allowed (the sign-in screen's offer). */
  release(sender: object): void;
  mayRead(sender: object, scope: string): boolean;
  mayForget(sender: object, scope: string): boolean;
}

export interface BindingOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
  log?: Logger;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export function createLocalDataBindings(options: BindingOptions = {}): LocalDataBindings {
  const log = options.log ?? silentLogger;
  // Keyed by the webContents itself: a closed window's binding goes with it.
  const bindings = new WeakMap<object, Binding>();

  async function whoIs(proof: LocalDataSessionProof): Promise<string> {
    let response: Response;
    try {
      response = await (options.fetch ?? globalThis.fetch)(new URL('/api/me', proof.serverUrl), {
        headers: { authorization: `Bearer ${proof.token}` },
        redirect: 'error',
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
    } catch {
      throw new LocalDataBindingError('handler_failed', 'The server could not be reached to confirm your sign-in; local data stays locked until it can.');
    }
    if (response.status === 401 || response.status === 403) throw new LocalDataBindingError('forbidden_sender', 'The server did not accept this session; sign in again.');
    if (!response.ok) throw new LocalDataBindingError('handler_failed', `The server could not confirm your sign-in (HTTP ${response.status}); local data stays locked until it can.`);
    const parsed = MeResponse.safeParse(await response.json().catch(() => null));
    if (!parsed.success) throw new LocalDataBindingError('handler_failed', 'The server answered the sign-in check with something unexpected; local data stays locked.');
    return parsed.data.user.id;
  }

  return {
    async bind(sender, proof) {
      const tokenHash = hashToken(proof.token);
      const known = bindings.get(sender);
      // Same window, same session, same user (e.g. a reload while offline): already checked.
      if (known && known.tokenHash === tokenHash && known.userId === proof.userId && known.serverUrl === proof.serverUrl) {
        known.signedIn = true;
        return;
      }
      const userId = await whoIs(proof);
      if (userId !== proof.userId) {
        log.warn('a window asked for local data of a user its session is not');
        throw new LocalDataBindingError('forbidden_sender', 'This session belongs to another user.');
      }
      bindings.set(sender, { userScope: localScope(userId, proof.serverUrl), recorderScope: recorderKeyScope(proof.serverUrl), tokenHash, userId, serverUrl: proof.serverUrl, signedIn: true });
    },
    release(sender) {
      const known = bindings.get(sender);
      if (known) known.signedIn = false;
    },
    mayRead(sender, scope) {
      const known = bindings.get(sender);
      return !!known && known.signedIn && (scope === known.userScope || scope === known.recorderScope);
    },
    mayForget(sender, scope) {
      return bindings.get(sender)?.userScope === scope;
    },
  };
}
