import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import type { S3Config, ServerConfig } from '../../server/config';
import { s3Client } from '../../server/modules/recordings/storage/s3-storage';

/** The recordings stores the integration tests run on: the disk (default) and S3-compatible object storage. */
export const RECORDING_STORES = ['disk', 's3'] as const;
export type RecordingStoreKind = (typeof RECORDING_STORES)[number];

/**
 * One store for one test: the server's config for it, and a look at what it holds, by the names
 * the stores share (`<id>.webm`, `<id>.chunks/0000001`). S3 is s3rver on a free port of 127.0.0.1
 * with its own temp folder and bucket, stopped with stop().
 */
export interface RecordingStoreUnderTest {
  kind: RecordingStoreKind;
  /** Server config overrides (the bucket); none for disk. */
  config: Partial<ServerConfig>;
  /** The same as environment variables (for the CLI). */
  env: Record<string, string>;
  /** Names of every stored file or object of the recording (work files included), sorted. */
  names(dataDir: string, recordingId: string): Promise<string[]>;
  read(dataDir: string, name: string): Promise<Buffer>;
  write(dataDir: string, name: string, bytes: Buffer): Promise<void>;
  /** Where the store's bytes are (the recordings folder, or s3rver's folder), to scan for audio. */
  root(dataDir: string): string;
  stop(): Promise<void>;
}

export async function recordingStore(kind: RecordingStoreKind): Promise<RecordingStoreUnderTest> {
  return kind === 'disk' ? diskStore() : s3Store();
}

function diskStore(): RecordingStoreUnderTest {
  const dir = (dataDir: string) => path.join(dataDir, 'recordings');
  return {
    kind: 'disk',
    config: {},
    env: {},
    async names(dataDir, recordingId) {
      if (!fs.existsSync(dir(dataDir))) return [];
      const out: string[] = [];
      for (const entry of fs.readdirSync(dir(dataDir)).filter((f) => f.startsWith(recordingId))) {
        const full = path.join(dir(dataDir), entry);
        if (fs.statSync(full).isDirectory()) for (const inner of fs.readdirSync(full)) out.push(`${entry}/${inner}`);
        else out.push(entry);
      }
      return out.sort();
    },
    read: (dataDir, name) => fsp.readFile(path.join(dir(dataDir), name)),
    write: (dataDir, name, bytes) => fsp.writeFile(path.join(dir(dataDir), name), bytes),
    root: dir,
    stop: async () => undefined,
  };
}

async function s3Store(): Promise<RecordingStoreUnderTest> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-s3rver-'));
  const bucket = 'veildesk-recordings';
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  // s3rver's built-in account; any signature from it is accepted.
  const s3: S3Config = { endpoint: `http://127.0.0.1:${port}`, bucket, region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true };
  const client = s3Client(s3);
  const key = (name: string) => `recordings/${name}`;
  return {
    kind: 's3',
    config: { s3 },
    env: {
      VEILDESK_S3_ENDPOINT: s3.endpoint!,
      VEILDESK_S3_BUCKET: bucket,
      VEILDESK_S3_REGION: s3.region,
      VEILDESK_S3_ACCESS_KEY_ID: s3.accessKeyId!,
      VEILDESK_S3_SECRET_ACCESS_KEY: s3.secretAccessKey!,
      VEILDESK_S3_FORCE_PATH_STYLE: 'true',
    },
    async names(dataDir, recordingId) {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key(recordingId) }));
      const objects = (page.Contents ?? []).map((o) => o.Key!.slice('recordings/'.length));
      // Work files of an assembly live in the data dir while it runs: none may stay behind.
      const work = path.join(dataDir, 'recordings-work');
      const left = fs.existsSync(work) ? fs.readdirSync(work).filter((f) => f.startsWith(recordingId)) : [];
      return [...objects, ...left.map((f) => `work:${f}`)].sort();
    },
    async read(_dataDir, name) {
      const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key(name) }));
      return Buffer.from(await res.Body!.transformToByteArray());
    },
    async write(_dataDir, name, bytes) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key(name), Body: bytes }));
    },
    root: () => directory,
    async stop() {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
      for (const o of page.Contents ?? []) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: o.Key! }));
      client.destroy();
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
