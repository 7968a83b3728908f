import { describe, expect, it } from 'vitest';
import { type User } from '../../../shared';
import { webKeyProvider } from '../../../renderer/data/crypto/local-key';
import { LocalDb, dbNameFor, localScope } from '../../../renderer/data/db';
import { LocalDataKeyMismatchError, LocalDataSession, type LocalDataEnv, wipeScope } from '../../../renderer/data/local-data';
import { type LockManagerLike, electLeader } from '../../../renderer/data/sync/leader';
import { FakeSyncServer } from './fake-sync-server';
import { freshIdb } from './helpers';

const user: User = { id: 'u1', username: 'agent1', displayName: 'Agent One', role: 'agent' };
const serverUrl = 'http://127.0.0.1:4280';

/** Web Locks semantics in memory: one holder per name, the next waiter gets it on release. */
function fakeLocks(): LockManagerLike {
  const queues = new Map<string, (() => void)[]>();
  const held = new Set<string>();
  return {
    request(name, options, callback) {
      return new Promise((resolve, reject) => {
        const run = () => {
          held.add(name);
          callback().then(() => {
            held.delete(name);
            const next = queues.get(name)?.shift();
            next?.();
            resolve(undefined);
          });
        };
        options.signal?.addEventListener('abort', () => {
          const q = queues.get(name) ?? [];
          const i = q.indexOf(run);
          if (i >= 0) q.splice(i, 1);
          reject(new Error('aborted'));
        });
        if (held.has(name)) queues.set(name, [...(queues.get(name) ?? []), run]);
        else run();
      });
    },
  };
}

function env(server: FakeSyncServer, idb = freshIdb(), locks: LockManagerLike | null = null): LocalDataEnv {
  return { keys: webKeyProvider(idb.indexedDB, idb.IDBKeyRange), createTransport: () => server, ...idb, locks };
}

describe('leader election', () => {
  it('one leader at a time; the next takes over when it leaves, a waiter that gives up never leads', async () => {
    const locks = fakeLocks();
    const log: string[] = [];
    const a = electLeader('sync', () => (log.push('a leads'), () => log.push('a stops')), locks);
    const b = electLeader('sync', () => (log.push('b leads'), () => log.push('b stops')), locks);
    const c = electLeader('sync', () => (log.push('c leads'), () => log.push('c stops')), locks);
    await Promise.resolve();
    expect(log).toEqual(['a leads']);
    c.release();
    a.release();
    await new Promise((r) => setTimeout(r, 0));
    expect(log).toEqual(['a leads', 'a stops', 'b leads']);
    b.release();
  });
});

describe('local data session', () => {
  it('one database per user and server', () => {
    expect(dbNameFor(localScope('u1', 'http://127.0.0.1:4280'))).toBe('veildesk-data:u1@127.0.0.1:4280');
    expect(localScope('u1', 'https://a.example')).not.toBe(localScope('u1', 'https://b.example'));
    expect(localScope('u1', 'https://a.example')).not.toBe(localScope('u2', 'https://a.example'));
  });

  it('syncs in the leading tab only; a second tab reads the same data and its notes are pushed by the leader', async () => {
    const server = new FakeSyncServer();
    server.seedInteraction('a', { messages: 2 });
    const idb = freshIdb();
    const locks = fakeLocks();
    const tab1 = await LocalDataSession.open(env(server, idb, locks), { user, serverUrl, token: 't' });
    const tab2 = await LocalDataSession.open(env(server, idb, locks), { user, serverUrl, token: 't' });
    tab1.startSync();
    tab2.startSync();
    await new Promise((r) => setTimeout(r, 50));
    expect(tab1.isLeader).toBe(true);
    expect(tab2.isLeader).toBe(false);
    await expect.poll(() => tab2.db.messages.count()).toBe(2);

    await tab2.writeNote('a', 'from the second tab');
    await expect.poll(() => server.entities('note').length).toBe(1);
    await expect.poll(() => tab2.db.outbox.count()).toBe(0);

    tab1.close();
    await expect.poll(() => tab2.isLeader).toBe(true);
    tab2.close();
  });

  it('data sealed with a lost key stays closed and untouched (never shown as garbage, never deleted); removed only by wipeScope', async () => {
    const server = new FakeSyncServer();
    server.seedInteraction('a', { messages: 1 });
    const idb = freshIdb();
    const first = await LocalDataSession.open(env(server, idb), { user, serverUrl, token: 't' });
    first.startSync();
    await expect.poll(() => first.db.messages.count()).toBe(1);
    await first.writeNote('a', 'typed offline');
    first.close();

    const scope = localScope(user.id, serverUrl);
    const otherKeys = webKeyProvider(idb.indexedDB, idb.IDBKeyRange);
    await otherKeys.forget(scope); // e.g. the keychain was reset
    const refused = LocalDataSession.open(env(server, idb), { user, serverUrl, token: 't' });
    await expect(refused).rejects.toBeInstanceOf(LocalDataKeyMismatchError);
    await expect(refused).rejects.toMatchObject({ scope, waiting: 1 });
    const kept = new LocalDb(dbNameFor(scope), idb);
    expect(await kept.messages.count()).toBe(1);
    expect(await kept.outbox.count()).toBe(1);
    kept.close();

    // The user's explicit choice: remove it and download again.
    await wipeScope(env(server, idb), scope);
    const second = await LocalDataSession.open(env(server, idb), { user, serverUrl, token: 't' });
    expect(await second.db.messages.count()).toBe(0);
    second.startSync();
    await expect.poll(() => second.db.messages.count()).toBe(1);
    second.close();
  });

  it('wipe deletes the database and forgets its key', async () => {
    const server = new FakeSyncServer();
    server.seedInteraction('a', { messages: 1 });
    const idb = freshIdb();
    const session = await LocalDataSession.open(env(server, idb), { user, serverUrl, token: 't' });
    session.startSync();
    await expect.poll(() => session.db.messages.count()).toBe(1);
    const name = session.db.name;
    await session.wipe();
    const names = (await idb.indexedDB.databases()).map((d) => d.name);
    expect(names).not.toContain(name);
    const reopened = new LocalDb(name, idb);
    expect(await reopened.interactions.count()).toBe(0);
  });
});
