import type { ClientMessage } from '../../shared/api/ws';
import type { Connection } from './connection';
import type { Hub } from './hub';
import type { ActorRole, Principal } from './principal';
import type { PresenceService } from '../modules/presence/presence-service';
import type { AuditLog } from '../modules/audit/audit-log';
import type { InteractionsModule } from '../modules/interactions/module';
import type { ShareRegistry } from '../modules/shares/share-registry';
import type { MediaService } from '../modules/media/media-service';
import type { RecordingService } from '../modules/recordings/recording-service';
import type { MonitoringService } from '../modules/monitoring/monitoring-service';

/** What a message handler may use. Modules that add messages add their service here. */
export interface WsServices {
  presence: PresenceService;
  audit: AuditLog;
  interactions: InteractionsModule;
  shares: ShareRegistry;
  /** The SFU (mediasoup); refuses every request with its reason when no worker runs. */
  media: MediaService;
  recordings: RecordingService;
  monitoring: MonitoringService;
  hub: Hub;
}

export interface HandlerContext {
  connection: Connection;
  principal: Principal;
  services: WsServices;
}

export type AuthedMessage = Exclude<ClientMessage, { type: 'hello' }>;

export interface WsHandler<T extends AuthedMessage['type']> {
  /** Roles that may send this message; anyone else gets a `forbidden` error frame. */
  roles: readonly ActorRole[];
  handle(message: Extract<AuthedMessage, { type: T }>, ctx: HandlerContext): Promise<void> | void;
}

export type HandlerMap<K extends AuthedMessage['type']> = { [T in K]: WsHandler<T> };
