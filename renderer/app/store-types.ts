import { type StateCreator } from 'zustand/vanilla';
import { type DesktopBridge } from '../../shared';
import { type AuthSlice } from '../features/auth/auth-slice';
import { type SessionStore } from '../features/auth/session-store';
import { type BoardSlice } from '../features/board/board-slice';
import { type CallsSlice } from '../features/calls/calls-slice';
import { type ConsultSlice } from '../features/calls/consult-slice';
import { type ChatsSlice } from '../features/chats/chats-slice';
import { type ConnectionSlice } from '../features/connection/connection-slice';
import { type HistorySlice } from '../features/history/history-slice';
import { type LocalDataSlice } from '../features/localdata/localdata-slice';
import { type LocalDataEnv } from '../data/local-data';
import { type MonitoringDeps, type MonitoringSlice } from '../features/monitoring/monitoring-slice';
import { type OffersSlice } from '../features/offers/offers-slice';
import { type PolicyApi } from '../features/policy/policy-api';
import { type PolicySlice } from '../features/policy/policy-slice';
import { type PresenceSlice } from '../features/presence/presence-slice';
import { type RecorderDeps, type RecordingSlice } from '../features/recording/recording-slice';
import { type RosterSlice } from '../features/roster/roster-slice';
import { type CaptureGates } from '../features/secure-pause/capture-gates';
import { type SecurePauseSlice } from '../features/secure-pause/secure-pause-slice';
import { type ScreenRecordingSlice } from '../features/screen-recording/screen-recording-slice';
import { type ScreenRecorderDeps } from '../features/screen-recording/screen-media';
import { type ShareMedia } from '../features/share/share-media';
import { type ShareSlice } from '../features/share/share-slice';
import { type WorkspaceSlice } from '../features/workspace/workspace-slice';
import { type WrapupSlice } from '../features/wrapup/wrapup-slice';
import { type CallMedia } from '../media/call-peer-types';
import { type MediaSignalingSlice } from '../media/sfu/media-signaling-slice';
import { type ApiClient } from '../net/api-client';
import { type WsClient, type WsClientOptions } from '../net/ws-client';

/** The part of WsClient the store drives; tests pass a fake with the same shape. */
export type LiveConnection = Pick<WsClient, 'on' | 'connect' | 'close' | 'dispose' | 'reconnectNow' | 'networkLost' | 'freshStart' | 'setPresence' | 'send'>;

/** Everything with side effects the store needs, injected so slices can be tested without a browser. */
export interface AppDeps {
  bridge: DesktopBridge;
  session: SessionStore;
  createApi(baseUrl: string): ApiClient;
  createConnection(options: Pick<WsClientOptions, 'url' | 'token'>): LiveConnection;
  now?: () => number;
  /** Microphone and WebRTC peers for calls; without it calls fail with a clear message. */
  media?: CallMedia;
  /** Ids for outgoing chat messages and requests; random by default. */
  newId?: () => string;
  /** Screen capture, crop pipeline and peers for screen sharing; the browser's by default. */
  shareMedia?: ShareMedia;
  /** Call recording (mixer, MediaRecorder, upload queue); the browser's by default. */
  recorder?: RecorderDeps;
  /** The encrypted local cache and sync (renderer/data); without it the app keeps nothing locally. */
  localData?: LocalDataEnv;
  /** Screen recording (capture, share pipeline, MediaRecorder); the browser's by default, null for none. */
  screenRecorder?: ScreenRecorderDeps | null;
  /** Live call monitoring (SFU client, audio mixer); the browser's by default. */
  monitoring?: MonitoringDeps;
  /** The privacy notice check at sign-in; without it the app goes straight to the shell (tests of other features). */
  policy?: PolicyApi;
  /** What secure pause stops at the source; createAppStore makes the one set the slices share. */
  captureGates?: CaptureGates;
}

export type AppState = AuthSlice &
  PresenceSlice &
  RosterSlice &
  ConnectionSlice &
  WorkspaceSlice &
  OffersSlice &
  ChatsSlice &
  CallsSlice &
  ConsultSlice &
  WrapupSlice &
  HistorySlice &
  LocalDataSlice &
  BoardSlice &
  MediaSignalingSlice &
  ShareSlice &
  SecurePauseSlice &
  RecordingSlice &
  ScreenRecordingSlice &
  MonitoringSlice &
  PolicySlice;

/** A slice sees the whole store (to call its neighbours' actions) but only defines its own keys. */
export type SliceCreator<T> = (deps: AppDeps) => StateCreator<AppState, [], [], T>;
