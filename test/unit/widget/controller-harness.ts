import { vi } from 'vitest';
import { type WidgetApi } from '../../../widget/lib/api';
import type { CallModule, CreatePeerOptions } from '../../../widget/lib/call-types';
import { WidgetConnection } from '../../../widget/lib/connection';
import { WidgetController } from '../../../widget/lib/controller';
import { createSessionStore } from '../../../widget/lib/saved-session';
import { stateLineText } from '../../../widget/lib/state-line';
import { FakeSocket, MemoryStorage } from './fakes';

/** A widget controller over fake sockets, API and call module (controller-chat and controller-call tests). */

export const START = { interactionId: 'i1', customerToken: 'vc_secret', expiresAt: '2099-01-01T00:00:00Z' };

export function fakeApi(overrides: Partial<WidgetApi> = {}) {
  return {
    queues: vi.fn(async () => [{ id: 'q1', name: 'Support', membersSignedIn: 2, membersAvailable: 1 }]),
    settings: vi.fn(async () => ({ askBirthYear: false })),
    start: vi.fn(async () => START),
    leaveMessage: vi.fn(async () => ({ interactionId: 'm1' })),
    consentSettings: vi.fn(async () => ({ notice: null, purposes: [] })),
    notices: vi.fn(async () => null),
    consents: vi.fn(async () => []),
    withdrawConsent: vi.fn(async () => ({ purposeId: 'training', purposeLabel: 'Training', noticeVersion: 'v1', givenAt: '2026-01-01T00:00:00Z', withdrawnAt: '2026-01-01T00:01:00Z' })),
    iceServers: vi.fn(async () => [{ urls: 'stun:stun.example.org' }]),
    ...overrides,
  } satisfies WidgetApi;
}

class FakeTrack {
  enabled = true;
  stopped = false;
  stop() {
    this.stopped = true;
  }
}

export function fakeCall() {
  const track = new FakeTrack();
  const stream = { getAudioTracks: () => [track], getTracks: () => [track] } as unknown as MediaStream;
  const peers: Array<{ options: CreatePeerOptions; signals: unknown[]; destroyed: boolean }> = [];
  const module: CallModule = {
    acquireMicrophone: vi.fn(async () => stream),
    createPeer: vi.fn((options: CreatePeerOptions) => {
      const p = { options, signals: [] as unknown[], destroyed: false };
      peers.push(p);
      return { signal: (d: unknown) => void p.signals.push(d), destroy: () => void (p.destroyed = true) };
    }),
  };
  return { module, track, peers };
}

export function setup(opts: { api?: ReturnType<typeof fakeApi>; storage?: MemoryStorage; call?: ReturnType<typeof fakeCall> } = {}) {
  const api = opts.api ?? fakeApi();
  const storage = opts.storage ?? new MemoryStorage();
  let n = 0;
  const controller = new WidgetController({
    api,
    sessions: createSessionStore(storage),
    wsUrl: 'ws://test/ws',
    createConnection: (o) => new WidgetConnection({ ...o, WebSocket: FakeSocket, random: () => 0 }),
    loadCall: async () => {
      if (!opts.call) throw new Error('no call module');
      return opts.call.module;
    },
    now: () => Date.now(),
    newId: () => `c${++n}`,
  });
  return { controller, api, storage };
}

export const line = (c: WidgetController) => stateLineText({ phase: c.snapshot.phase, state: c.snapshot.customerState, ending: c.snapshot.ending, fatal: c.snapshot.fatal });
export const state = (s: FakeSocket, st: Record<string, unknown>) => s.serverSend({ type: 'customer.state', interactionId: 'i1', ...st });
export const flush = () => vi.advanceTimersByTimeAsync(0);
