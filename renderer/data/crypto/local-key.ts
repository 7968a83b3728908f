import { type DesktopBridge, type LocalDataSessionProof, type LocalKeyProtection, type LocalKeyUnavailableReason } from '../../../shared';
import { KeysDb } from '../idb/keys-db';
import { generateLocalKey, importRawKey } from './field-cipher';

/** How the key of the local data is kept; the Local data panel shows it in words. */
export type KeyKeeping = LocalKeyProtection | 'browser_profile';

export interface LocalKey {
  key: CryptoKey;
  keeping: KeyKeeping;
  /** For the user when the protection is weak; null when it is as good as the host allows. */
  warning: string | null;
}

/**
 * The key cannot be had now (keychain locked or unavailable, keys file unreadable, window not
 * bound to this user). Nothing was replaced: the local data stays closed and the app asks again.
 */
export class LocalKeyUnavailableError extends Error {
  constructor(
    readonly reason: LocalKeyUnavailableReason,
    message: string,
  ) {
    super(message);
    this.name = 'LocalKeyUnavailableError';
  }
}

export interface LocalKeyProvider {
  /** The scope's key; throws LocalKeyUnavailableError while it cannot be had (never a replacement key). */
  get(scope: string): Promise<LocalKey>;
  /** Deletes the key: anything sealed with it, wherever a copy survived, stays unreadable. */
  forget(scope: string): Promise<void>;
  /** Desktop: binds this window's key requests to the signed-in user (main checks the session). */
  bindUser?(proof: LocalDataSessionProof): Promise<void>;
  /** Desktop: the user signed out; only forgetting their key stays allowed. */
  releaseUser?(): Promise<void>;
}

/**
 * The web build's keys: non-extractable WebCrypto keys kept in their own IndexedDB database (KEYS_DB of data/idb), so
 * page scripts can use them but never read the key bytes. The browser stores them inside the
 * profile, so this protects against reading the data out of the page, not against someone who
 * copies the whole profile (docs/privacy-model.md).
 */
export function webKeyProvider(indexedDB?: IDBFactory, keyRange?: typeof IDBKeyRange): LocalKeyProvider {
  let db: KeysDb | null = null;
  const open = () => (db ??= new KeysDb({ indexedDB, IDBKeyRange: keyRange }));
  return {
    async get(scope) {
      const keys = open().keys;
      const fresh = await generateLocalKey();
      // Two tabs may race here: the first key stored wins and both use it.
      const key = await open().transaction('rw', keys, async () => {
        const existing = await keys.get(scope);
        if (existing) return existing.key;
        await keys.put({ scope, key: fresh });
        return fresh;
      });
      return { key, keeping: 'browser_profile', warning: null };
    },
    async forget(scope) {
      await open().keys.delete(scope);
    },
  };
}

/** The desktop's keys: kept by main, sealed with the OS keychain; imported here as non-extractable. */
export function bridgeKeyProvider(bridge: Required<Pick<DesktopBridge, 'getLocalDataKey' | 'forgetLocalDataKey'>> & Pick<DesktopBridge, 'bindLocalDataUser' | 'releaseLocalDataUser'>): LocalKeyProvider {
  return {
    async get(scope) {
      const answer = await bridge.getLocalDataKey(scope);
      if (answer.status === 'unavailable') throw new LocalKeyUnavailableError(answer.reason, answer.message);
      return { key: await importRawKey(answer.key), keeping: answer.protection, warning: answer.warning };
    },
    forget: (scope) => bridge.forgetLocalDataKey(scope),
    ...(bridge.bindLocalDataUser ? { bindUser: bridge.bindLocalDataUser } : {}),
    ...(bridge.releaseLocalDataUser ? { releaseUser: bridge.releaseLocalDataUser } : {}),
  };
}

/** Desktop when the bridge offers keys, else the browser's own. */
export function localKeyProviderFor(bridge: DesktopBridge): LocalKeyProvider {
  const { getLocalDataKey, forgetLocalDataKey, bindLocalDataUser, releaseLocalDataUser } = bridge;
  if (getLocalDataKey && forgetLocalDataKey) {
    return bridgeKeyProvider({
      getLocalDataKey: (s) => getLocalDataKey.call(bridge, s),
      forgetLocalDataKey: (s) => forgetLocalDataKey.call(bridge, s),
      ...(bindLocalDataUser ? { bindLocalDataUser: (p: LocalDataSessionProof) => bindLocalDataUser.call(bridge, p) } : {}),
      ...(releaseLocalDataUser ? { releaseLocalDataUser: () => releaseLocalDataUser.call(bridge) } : {}),
    });
  }
  return webKeyProvider();
}
