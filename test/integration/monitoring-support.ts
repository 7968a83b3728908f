import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServer } from '../../server/app';
import { loadConfig } from '../../server/config';
import { dropTestDatabase, testDatabaseFor } from '../support/test-database';
import type { MonitorMedia, MonitorRoom, MonitorRoomOptions } from '../../server/modules/monitoring/media-port';
import { closeSockets, type TestBackend } from './helpers';
import { INTERACTION_DEFAULTS } from './interactions-support';

/** What a fake SFU room saw: its authorization callbacks, pauses, dropped consumers, close. */
export interface FakeRoom extends MonitorRoom {
  options: MonitorRoomOptions;
  pauses: boolean[];
  dropped: string[];
  closed: boolean;
}

/** An SFU stand-in for the monitoring rules: rooms are records; the real SFU is covered by the E2E test. */
export function fakeMonitorMedia(): MonitorMedia & { rooms: FakeRoom[]; down: string | null } {
  const media = {
    rooms: [] as FakeRoom[],
    down: null as string | null,
    unavailable: () => media.down,
    async openRoom(options: MonitorRoomOptions): Promise<MonitorRoom> {
      const room: FakeRoom = {
        id: `room-${media.rooms.length + 1}`,
        options,
        pauses: [],
        dropped: [],
        closed: false,
        setPaused: async (paused) => void room.pauses.push(paused),
        dropConsumer: async (userId) => void room.dropped.push(userId),
        close: async () => void (room.closed = true),
      };
      media.rooms.push(room);
      return room;
    },
  };
  return media;
}

/** The real backend in this process with a fake SFU behind monitoring (fresh seeded data dir). */
export async function startMonitoringBackend(media: MonitorMedia): Promise<TestBackend> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-mon-'));
  const databaseUrl = await testDatabaseFor(dataDir);
  const config = { ...loadConfig({ VEILDESK_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, []), ...INTERACTION_DEFAULTS, port: 0, dataDir, databaseUrl };
  const server = await createServer(config, { monitorMedia: media });
  const url = await server.app.listen({ port: 0, host: '127.0.0.1' });
  return {
    ...server,
    url,
    dataDir,
    config,
    async close() {
      await closeSockets();
      await server.close();
      await dropTestDatabase(dataDir);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
