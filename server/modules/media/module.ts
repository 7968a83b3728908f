import type { ServerModule } from '../../kernel/module';
import type { MediaService } from './media-service';
import { mediaHandlers } from './ws-handlers';

/** The SFU's media.* messages; a closed connection leaves its rooms. */
export function mediaModule(media: MediaService): ServerModule {
  return {
    name: 'media',
    wsHandlers: mediaHandlers(media),
    disconnected(principal) {
      media.disconnected(principal.id);
    },
    stop() {
      media.close();
    },
  };
}
