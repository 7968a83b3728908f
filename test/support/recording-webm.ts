import { execFileSync } from 'node:child_process';

/**
 * Real WebM/Opus for recording tests, made and inspected with ffmpeg/ffprobe (Debian's ffmpeg;
 * .ci/run installs it). The WebM is written like MediaRecorder's: live (no duration, no cues),
 * 48 kHz stereo Opus, clusters of about a second, timestamps from 0.
 */

export function opusWebm(hz: number, seconds: number): Buffer {
  return execFileSync(
    'ffmpeg',
    ['-v', 'error', '-f', 'lavfi', '-i', `sine=frequency=${hz}:duration=${seconds}:sample_rate=48000`, '-ac', '2', '-c:a', 'libopus', '-b:a', '32k', '-f', 'webm', '-live', '1', '-cluster_time_limit', '1000', 'pipe:1'],
    { maxBuffer: 64 * 1024 * 1024 },
  );
}

/** Cuts bytes into chunks of about `size` (a MediaRecorder chunk is a byte range of one stream). */
export function byteChunks(data: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < data.length; at += size) out.push(data.subarray(at, Math.min(data.length, at + size)));
  return out;
}

export interface WebmReport {
  /** The container's duration (s), or null when it declares none (MediaRecorder's own files). */
  formatSeconds: number | null;
  /** EBML headers in the file: one for one stream; segments back to back have one each. */
  ebmlHeaders: number;
  /** Packet timestamps (s) never go back: one timeline. */
  monotonic: boolean;
  /** End of the last packet (s). */
  lastPacketEnd: number;
  /** Decoded audio length (s). */
  decodedSeconds: number;
}

const EBML_MAGIC = Buffer.from([0x1a, 0x45, 0xdf, 0xa3]);

function countMagic(data: Buffer): number {
  let n = 0;
  for (let at = data.indexOf(EBML_MAGIC); at >= 0; at = data.indexOf(EBML_MAGIC, at + 1)) n += 1;
  return n;
}

export function inspectWebm(file: string, data: Buffer): WebmReport {
  const probe = JSON.parse(
    execFileSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_packets', '-select_streams', 'a:0', '-show_entries', 'format=duration:packet=pts_time,duration_time', file], {
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'ignore'],
    }).toString(),
  ) as { format?: { duration?: string }; packets?: { pts_time?: string; duration_time?: string }[] };
  const packets = (probe.packets ?? []).map((p) => ({ pts: Number(p.pts_time), duration: Number(p.duration_time ?? 0) }));
  let monotonic = true;
  for (let i = 1; i < packets.length; i += 1) if (packets[i]!.pts < packets[i - 1]!.pts) monotonic = false;
  const last = packets.at(-1);
  const pcm = execFileSync('ffmpeg', ['-v', 'quiet', '-i', file, '-f', 's16le', '-ac', '1', '-ar', '16000', '-'], { maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
  const declared = probe.format?.duration;
  return {
    formatSeconds: declared && declared !== 'N/A' ? Number(declared) : null,
    ebmlHeaders: countMagic(data),
    monotonic,
    lastPacketEnd: last ? last.pts + last.duration : 0,
    decodedSeconds: pcm.length / 2 / 16000,
  };
}
