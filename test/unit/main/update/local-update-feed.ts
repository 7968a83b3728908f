import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * An update feed as electron-builder publishes it to a generic server: latest.yml (version, files
 * with sha512 and size, releaseDate), the installer and its .blockmap, served over HTTPS with a
 * throwaway self-signed certificate (openssl) that the client is told to trust.
 */
export interface LocalUpdateFeed {
  url: string;
  ca: string;
  /** Paths requested, in order. */
  requests: string[];
  installerName: string;
  installer: Buffer;
  close(): Promise<void>;
}

const sha512 = (data: Buffer): string => createHash('sha512').update(data).digest('base64');

function blockMapOf(data: Buffer): Buffer {
  const size = 64 * 1024;
  const checksums: string[] = [];
  const sizes: number[] = [];
  for (let offset = 0; offset < data.length; offset += size) {
    const chunk = data.subarray(offset, offset + size);
    checksums.push(createHash('sha256').update(chunk).digest('base64'));
    sizes.push(chunk.length);
  }
  return gzipSync(JSON.stringify({ version: '2', files: [{ name: 'file', offset: 0, checksums, sizes }] }));
}

export async function startLocalUpdateFeed(options: { version: string; announcedSha512?: (real: string) => string }): Promise<LocalUpdateFeed> {
  const dir = await mkdtemp(path.join(tmpdir(), 'veildesk-feed-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
  const [key, cert] = await Promise.all([readFile(path.join(dir, 'key.pem'), 'utf8'), readFile(path.join(dir, 'cert.pem'), 'utf8')]);

  const installerName = `Veildesk-Setup-${options.version}.exe`;
  const installer = randomBytes(300 * 1024);
  const real = sha512(installer);
  const announced = options.announcedSha512 ? options.announcedSha512(real) : real;
  const blockMap = blockMapOf(installer);
  const latestYml = [
    `version: ${options.version}`,
    'files:',
    `  - url: ${installerName}`,
    `    sha512: ${announced}`,
    `    size: ${installer.length}`,
    `    blockMapSize: ${blockMap.length}`,
    `path: ${installerName}`,
    `sha512: ${announced}`,
    `releaseDate: '2026-12-01T10:00:00.000Z'`,
    '',
  ].join('\n');
  const files = new Map<string, Buffer>([
    ['/latest.yml', Buffer.from(latestYml)],
    [`/${installerName}`, installer],
    [`/${installerName}.blockmap`, blockMap],
  ]);
  await writeFile(path.join(dir, 'latest.yml'), latestYml);

  const requests: string[] = [];
  const server = https.createServer({ key, cert }, (request, response) => {
    const pathname = new URL(request.url ?? '/', 'https://127.0.0.1').pathname;
    requests.push(pathname);
    const body = files.get(pathname);
    if (!body) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-length': body.length, 'content-type': 'application/octet-stream' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}/`,
    ca: cert,
    requests,
    installerName,
    installer,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
