import { type StoreApi, createStore } from 'zustand/vanilla';
import { createAuthSlice } from '../features/auth/auth-slice';
import { createBoardSlice } from '../features/board/board-slice';
import { createCallsSlice } from '../features/calls/calls-slice';
import { createConsultSlice } from '../features/calls/consult-slice';
import { createChatsSlice } from '../features/chats/chats-slice';
import { createConnectionSlice } from '../features/connection/connection-slice';
import { createHistorySlice } from '../features/history/history-slice';
import { createLocalDataSlice } from '../features/localdata/localdata-slice';
import { createMonitoringSlice } from '../features/monitoring/monitoring-slice';
import { withMonitoringTaps } from '../features/monitoring/monitoring-taps';
import { createOffersSlice } from '../features/offers/offers-slice';
import { createPolicySlice } from '../features/policy/policy-slice';
import { createPresenceSlice } from '../features/presence/presence-slice';
import { createRecordingSlice } from '../features/recording/recording-slice';
import { withRecordingTaps } from '../features/recording/recording-taps';
import { createRosterSlice } from '../features/roster/roster-slice';
import { createScreenRecordingSlice } from '../features/screen-recording/screen-recording-slice';
import { createCaptureGates } from '../features/secure-pause/capture-gates';
import { createSecurePauseSlice } from '../features/secure-pause/secure-pause-slice';
import { createShareSlice } from '../features/share/share-slice';
import { createWorkspaceSlice } from '../features/workspace/workspace-slice';
import { createWrapupSlice } from '../features/wrapup/wrapup-slice';
import { withMediaSignalingTaps } from '../media/sfu/media-taps';
import { createMediaSignalingSlice } from '../media/sfu/media-signaling-slice';
import { type AppDeps, type AppState } from './store-types';

export type { AppDeps, AppState, LiveConnection, SliceCreator } from './store-types';

/** The one application store, assembled from feature slices around injected side effects. */
export function createAppStore(base: AppDeps): StoreApi<AppState> {
  return createStore<AppState>()((...args) => {
    // Recording taps the connection (its frames) and the call media (the microphone); see recording-taps.ts.
    const tapped = withMediaSignalingTaps(withMonitoringTaps(withRecordingTaps(base, args[1]), args[1]), args[1]);
    // Secure pause, the recorder and the monitoring publisher share one set of capture gates.
    const deps = { ...tapped, captureGates: base.captureGates ?? createCaptureGates() };
    return {
      ...createAuthSlice(deps)(...args),
      ...createPresenceSlice(deps)(...args),
      ...createRosterSlice(deps)(...args),
      ...createConnectionSlice(deps)(...args),
      ...createWorkspaceSlice(deps)(...args),
      ...createOffersSlice(deps)(...args),
      ...createChatsSlice(deps)(...args),
      ...createCallsSlice(deps)(...args),
      ...createConsultSlice(deps)(...args),
      ...createWrapupSlice(deps)(...args),
      ...createHistorySlice(deps)(...args),
      ...createLocalDataSlice(deps)(...args),
      ...createBoardSlice(deps)(...args),
      ...createMediaSignalingSlice(deps)(...args),
      ...createShareSlice(deps)(...args),
      ...createSecurePauseSlice(deps)(...args),
      ...createRecordingSlice(deps)(...args),
      ...createScreenRecordingSlice(deps)(...args),
      ...createMonitoringSlice(deps)(...args),
      ...createPolicySlice(deps)(...args),
    };
  });
}
