import { EventEmitter } from 'node:events';
import { mkdir } from 'node:fs/promises';
import http, { type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CancellationToken, configureRequestOptions, configureRequestUrl, type DownloadOptions, HttpExecutor } from 'builder-util-runtime';
import type { UpdateInfo } from 'builder-util-runtime';
import type { AppUpdater } from 'electron-updater';
import type { ElectronHttpExecutor } from 'electron-updater/out/electronHttpExecutor';
import { GenericProvider } from 'electron-updater/out/providers/GenericProvider';
import { z } from 'zod';
import type { DownloadedUpdateLike, UpdaterPort } from '../../../../main/update/controller';

/**
 * electron-updater without Electron, for tests: its own GenericProvider reads and parses the feed
 * (latest.yml) and resolves the files; builder-util-runtime's download pipe (the one
 * electron-updater's ElectronHttpExecutor.download runs) checks the sha512 while downloading, here
 * over Node's http/https instead of Electron's net. Only quitAndInstall is recorded instead of done.
 */

const { gt } = createRequire(import.meta.url)('semver') as { gt(a: string, b: string): boolean };

/** electron-builder's blockmap: gzipped JSON, one entry per file with its chunk checksums and sizes. */
export const BlockMap = z.object({
  version: z.enum(['1', '2']),
  files: z.array(z.object({ name: z.string(), offset: z.number().int().min(0), checksums: z.array(z.string()), sizes: z.array(z.number().int().positive()) })).min(1),
});
export type BlockMap = z.infer<typeof BlockMap>;

class NodeHttpExecutor extends HttpExecutor<ClientRequest> {
  constructor(private readonly ca: string | undefined) {
    super();
  }

  createRequest(options: RequestOptions, callback: (response: IncomingMessage) => void): ClientRequest {
    const request = options.protocol === 'http:' ? http.request(options, callback) : https.request({ ...options, ca: this.ca }, callback);
    return request;
  }

  /** As ElectronHttpExecutor.download: builder-util-runtime's doDownload, whose pipe checks the sha512. */
  download(url: URL, destination: string, options: DownloadOptions): Promise<string> {
    return options.cancellationToken.createPromise((resolve, reject, onCancel) => {
      const requestOptions: RequestOptions = { headers: options.headers ?? undefined };
      configureRequestUrl(url, requestOptions);
      configureRequestOptions(requestOptions);
      this.doDownload(
        requestOptions,
        { destination, options, onCancel, callback: (error) => (error ? reject(error) : resolve(destination)), responseHandler: null },
        0,
      );
    });
  }
}

export interface LocalFeedUpdater extends UpdaterPort {
  readonly installs: Array<{ isSilent?: boolean; isForceRunAfter?: boolean }>;
  readonly blockMaps: BlockMap[];
  readonly feedUrl: string | null;
}

export function createNodeUpdater(options: { currentVersion: string; downloadDir: string; ca?: string }): LocalFeedUpdater {
  const events = new EventEmitter();
  const executor = new NodeHttpExecutor(options.ca);
  let provider: GenericProvider | null = null;
  const installs: LocalFeedUpdater['installs'] = [];
  const blockMaps: BlockMap[] = [];
  let feedUrl: string | null = null;

  async function download(info: UpdateInfo): Promise<void> {
    if (!provider) throw new Error('no feed');
    const [file] = provider.resolveFiles(info);
    if (!file) throw new Error('the feed names no file');
    // electron-updater fetches the new file's blockmap for a differential download.
    const gz = await executor.downloadToBuffer(new URL(`${file.url.href}.blockmap`), { cancellationToken: new CancellationToken() });
    blockMaps.push(BlockMap.parse(JSON.parse(gunzipSync(gz).toString('utf8'))));
    await mkdir(options.downloadDir, { recursive: true });
    const destination = path.join(options.downloadDir, path.posix.basename(file.url.pathname));
    await executor.download(file.url, destination, { sha512: file.info.sha512, cancellationToken: new CancellationToken() });
    const downloaded: DownloadedUpdateLike = { ...info, downloadedFile: destination };
    events.emit('update-downloaded', downloaded);
  }

  const updater: LocalFeedUpdater = {
    autoDownload: false,
    autoInstallOnAppQuit: false,
    installs,
    blockMaps,
    get feedUrl() {
      return feedUrl;
    },
    setFeedURL({ url }) {
      feedUrl = url;
      const fakeUpdater = { channel: null, isAddNoCacheQuery: false } as unknown as AppUpdater;
      provider = new GenericProvider({ provider: 'generic', url }, fakeUpdater, {
        isUseMultipleRangeRequest: false,
        platform: 'win32',
        executor: executor as unknown as ElectronHttpExecutor,
      });
    },
    async checkForUpdates() {
      if (!provider) throw new Error('setFeedURL first');
      events.emit('checking-for-update');
      try {
        const info = await provider.getLatestVersion();
        if (!gt(info.version, options.currentVersion)) {
          events.emit('update-not-available', info);
          return null;
        }
        events.emit('update-available', info);
        if (updater.autoDownload) await download(info);
        return info;
      } catch (error) {
        events.emit('error', error as Error);
        return null;
      }
    },
    quitAndInstall(isSilent, isForceRunAfter) {
      installs.push({ isSilent, isForceRunAfter });
    },
    on(event: string, listener: (...args: never[]) => void) {
      events.on(event, listener as (...args: unknown[]) => void);
      return updater;
    },
  };
  return updater;
}
