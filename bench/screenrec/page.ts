/**
 * The screen recording bench's page (bundled by run.ts). A 1920×1080 canvas "screen" that does not
 * change (repainted identically at the capture's rate, as a screen capturer delivers frames), and:
 *  - `source-2` / `source-30`: the canvas alone at 2 / 30 fps (baselines);
 *  - `screenrec`: the app's ScreenRecorder on it at 2 fps (share pipeline with two standing masks,
 *    MediaRecorder VP8 WebM, 1 s chunks); the chunks' bytes give the upload bitrate;
 *  - `share`: the same screen shared as the app does (30 fps, pipeline, loopback WebRTC); the
 *    sender's bytes give its bitrate.
 */
import { ScreenRecorder, screenMimeType, SCREEN_BITS_PER_SECOND } from '../../renderer/media/screen-recorder/screen-recorder';
import type { MediaRecorderLike } from '../../renderer/media/recorder/call-recorder';
import { createSharePipeline, type SharePipeline } from '../../renderer/media/share/pipeline';

export type Scenario = 'source-2' | 'source-30' | 'screenrec' | 'share';
const W = 1920;
const H = 1080;
const MASKS = [
  { x: 100, y: 100, width: 400, height: 200 },
  { x: 1200, y: 700, width: 500, height: 250 },
];
const worker = () => new Worker('./crop-worker.js', { type: 'module' });

interface Running {
  stop(): void;
  bytes(): Promise<number>;
}
let running: Running | null = null;
let bytesAtMark = 0;
let markedAt = 0;

function staticScreen(fps: number): { track: MediaStreamTrack; stop(): void } {
  const canvas = document.createElement('canvas');
  canvas.width = W;
  canvas.height = H;
  const ctx = canvas.getContext('2d')!;
  const paint = () => {
    const colours = ['#d33', '#3d3', '#33d', '#dd3', '#3dd', '#d3d'];
    for (let i = 0; i < 6; i++) {
      ctx.fillStyle = colours[i]!;
      ctx.fillRect((i % 3) * 640, Math.floor(i / 3) * 540, 640, 540);
    }
    ctx.fillStyle = '#000';
    ctx.font = '32px sans-serif';
    for (let line = 0; line < 20; line++) ctx.fillText(`Order 10${line} · customer record · status open`, 80, 60 + line * 48);
  };
  paint();
  const timer = setInterval(paint, 1000 / fps);
  const track = canvas.captureStream(fps).getVideoTracks()[0]!;
  return { track, stop: () => (clearInterval(timer), track.stop()) };
}

async function loopback(track: MediaStreamTrack): Promise<RTCPeerConnection[]> {
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  a.onicecandidate = (e) => e.candidate && void b.addIceCandidate(e.candidate);
  b.onicecandidate = (e) => e.candidate && void a.addIceCandidate(e.candidate);
  b.ontrack = () => undefined;
  a.addTrack(track, new MediaStream([track]));
  await a.setLocalDescription();
  await b.setRemoteDescription(a.localDescription!);
  await b.setLocalDescription();
  await a.setRemoteDescription(b.localDescription!);
  return [a, b];
}

async function sentBytes(pc: RTCPeerConnection): Promise<number> {
  let n = 0;
  (await pc.getStats()).forEach((s: { type: string; kind?: string; bytesSent?: number }) => {
    if (s.type === 'outbound-rtp' && s.kind === 'video') n += s.bytesSent ?? 0;
  });
  return n;
}

async function start(scenario: Scenario): Promise<void> {
  stop();
  const fps = scenario === 'source-2' || scenario === 'screenrec' ? 2 : 30;
  const source = staticScreen(fps);
  if (scenario === 'source-2' || scenario === 'source-30') {
    running = { stop: source.stop, bytes: async () => 0 };
  } else if (scenario === 'screenrec') {
    let bytes = 0;
    const recorder = new ScreenRecorder({
      source: source.track,
      size: { width: W, height: H },
      masks: MASKS,
      media: {
        createPipeline: (track, settings) => createSharePipeline(track, settings, { createWorker: worker }),
        createRecorder: (stream) =>
          new MediaRecorder(stream, { mimeType: screenMimeType((t) => MediaRecorder.isTypeSupported(t)), videoBitsPerSecond: SCREEN_BITS_PER_SECOND }) as unknown as MediaRecorderLike,
        streamOf: (track) => new MediaStream([track]),
      },
      onChunk: (chunk) => void (bytes += chunk.data.size),
    });
    recorder.start();
    running = { stop: () => void recorder.stop().then(source.stop), bytes: async () => bytes };
  } else {
    const pipeline: SharePipeline = createSharePipeline(source.track, { region: { x: 0, y: 0, width: W, height: H }, masks: MASKS, blanked: false }, { createWorker: worker });
    const pcs = await loopback(pipeline.track);
    running = {
      stop: () => {
        pipeline.stop();
        source.stop();
        for (const pc of pcs) pc.close();
      },
      bytes: () => sentBytes(pcs[0]!),
    };
  }
}

async function mark(): Promise<void> {
  bytesAtMark = (await running?.bytes()) ?? 0;
  markedAt = performance.now();
}

/** Bits per second produced since the mark (chunks uploaded, or RTP sent). */
async function read(): Promise<{ kbitPerSecond: number }> {
  const bytes = ((await running?.bytes()) ?? 0) - bytesAtMark;
  return { kbitPerSecond: (bytes * 8) / ((performance.now() - markedAt) / 1000) / 1000 };
}

function stop(): void {
  running?.stop();
  running = null;
}

declare global {
  interface Window {
    screenrecBench: { start: typeof start; mark: typeof mark; read: typeof read; stop: typeof stop };
  }
}
window.screenrecBench = { start, mark, read, stop };
