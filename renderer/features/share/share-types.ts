import {
  type AvailableShare,
  type CaptureProtection,
  type CaptureSource,
  type OwnShare,
  type ServerMessageOf,
  type ShareEndReason,
  type SharePerson,
  type ShareSourceKind,
} from '../../../shared';
import { type Rect, type Size } from '../../media/share/geometry';
import { type PeerState } from '../../media/share/transport';

/** Where the sharer is: nothing, picking a source, capture starting, editing region/masks/viewers, starting, live. */
export type ShareStage = 'idle' | 'choosing' | 'capturing' | 'editing' | 'starting' | 'live';

export interface SharerState {
  stage: ShareStage;
  /** Desktop: screens and windows with thumbnails; null in a browser (its own picker) or before loading. */
  sources: CaptureSource[] | null;
  sourceSize: Size | null;
  source: { kind: ShareSourceKind; label: string } | null;
  /** Source pixels, aligned for I420. Default: the whole source. */
  region: Rect;
  /** Source pixels; viewers see them black. */
  masks: Rect[];
  blanked: boolean;
  /** The org's other users, from whom viewers are chosen. */
  candidates: SharePerson[];
  /** Checked viewer ids (sent with share.start, or with share.viewers on confirm while live). */
  chosen: string[];
  /** The server's view of the live share. */
  own: OwnShare | null;
  protection: CaptureProtection | null;
  error: string | null;
  /** The raw capture for the local preview (never sent as such). */
  previewStream: MediaStream | null;
  /** Connection state per viewer (P2P). */
  peers: Record<string, PeerState>;
  /** Which pipeline path crops the picture: 'worker', 'main' or 'canvas' (no insertable streams). */
  pipelineMode: string | null;
  /** How the picture travels: once to the SFU, or one peer connection per viewer (server's choice). */
  transport: ShareTransportMode | null;
}

export type ShareTransportMode = 'sfu' | 'p2p';

export type WatchStatus = 'joining' | 'connecting' | 'live' | 'ended';

export interface WatchingState {
  share: AvailableShare;
  status: WatchStatus;
  endedReason: ShareEndReason | null;
  stream: MediaStream | null;
  transport: ShareTransportMode | null;
}

/** The sharer's side: picking a source, region, masks and viewers, the live share. */
export interface SharerActions {
  openShare(): Promise<void>;
  chooseSource(id: string): Promise<void>;
  cancelShare(): void;
  setSourceSize(size: Size): void;
  setRegion(rect: Rect): void;
  addMask(rect?: Rect): void;
  setMask(index: number, rect: Rect): void;
  removeMask(index: number): void;
  toggleViewer(userId: string, checked: boolean): void;
  /** Sends the checked viewers (live); before the start they go with share.start. */
  confirmViewers(): void;
  startShare(): Promise<void>;
  setBlanked(blanked: boolean): void;
  revokeViewer(userId: string): void;
  stopShare(): void;

  applyShareState(frame: ServerMessageOf<'share.state'>): void;
  applyShareViewerJoined(frame: ServerMessageOf<'share.viewer.joined'>): void;
  applyShareViewerLeft(frame: ServerMessageOf<'share.viewer.left'>): void;
  applyShareCandidates(frame: ServerMessageOf<'share.candidates'>): void;
}

/** The viewer's side: joining a share and receiving its picture. */
export interface WatcherActions {
  joinShare(shareId: string): void;
  leaveShare(): void;
  dismissWatching(): void;

  applySharesAvailable(frame: ServerMessageOf<'shares.available'>): void;
  applyShareWatching(frame: ServerMessageOf<'share.watching'>): void;
  applyShareEnded(frame: ServerMessageOf<'share.ended'>): void;
}

export interface ShareSlice extends SharerActions, WatcherActions {
  share: SharerState;
  /** Shares this user may join (the server decides). */
  availableShares: AvailableShare[];
  watching: WatchingState | null;

  /** A share.signal frame: to our own share's transport, or to the receiver of the share we watch. */
  applyShareSignal(frame: ServerMessageOf<'share.signal'>): void;
  /** An error frame: returns true when it answered a share request (the state is rolled back). */
  applyShareError(frame: ServerMessageOf<'error'>): boolean;
  /** Sign-out or a lost session: everything stops, locally. */
  resetShares(): void;
}

export const EMPTY_RECT: Rect = { x: 0, y: 0, width: 2, height: 2 };

export const initialSharer: SharerState = {
  stage: 'idle',
  sources: null,
  sourceSize: null,
  source: null,
  region: EMPTY_RECT,
  masks: [],
  blanked: false,
  candidates: [],
  chosen: [],
  own: null,
  protection: null,
  error: null,
  previewStream: null,
  peers: {},
  pipelineMode: null,
  transport: null,
};

const END_WORDS: Record<ShareEndReason, string> = {
  stopped: 'The sharer stopped sharing.',
  revoked: 'The sharer removed you from this share.',
  sharer_left: 'The sharer disconnected.',
  signed_out: 'The sharer signed out.',
  left: 'You left the share.',
  replaced: 'You are watching this share in another window.',
};
export const endedMessage = (reason: ShareEndReason | null): string => (reason ? END_WORDS[reason] : 'The share ended.');
