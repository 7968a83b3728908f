/**
 * Runs in Chromium (bundled by run.ts with esbuild). A 1920×1080 canvas painted at 30 fps is the
 * "screen"; each scenario sends either that track as it is, or the share pipeline's output
 * (cropped, or cropped and masked), over a loopback RTCPeerConnection pair, and counts the frames
 * the receiving <video> presents.
 */
import { createSharePipeline, type PipelineMode, type SharePipeline } from '../../renderer/media/share/pipeline';

export type Scenario = 'uncropped' | 'crop' | 'crop+masks';

interface Running {
  stop(): void;
  video: HTMLVideoElement;
  frames: number;
  encodedAtMark: number;
  decodedAtMark: number;
  sourceAtMark: number;
  outAtMark: number;
  since: number;
  pipeline: SharePipeline | null;
  pcs: RTCPeerConnection[];
}

const W = 1920;
const H = 1080;
const REGION = { x: 320, y: 180, width: 800, height: 600 };
const MASKS = [
  { x: 400, y: 240, width: 200, height: 120 },
  { x: 800, y: 500, width: 240, height: 160 },
];

let running: Running | null = null;

/** A busy "screen": colour blocks, a moving bar and changing text, so the encoder has work each frame. */
function paintedSource(): { track: MediaStreamTrack; stop(): void } {
  const canvas = document.createElement('canvas');
  canvas.width = W;
  canvas.height = H;
  const ctx = canvas.getContext('2d')!;
  let n = 0;
  const colours = ['#d33', '#3d3', '#33d', '#dd3', '#3dd', '#d3d'];
  const block = (i: number) => {
    ctx.fillStyle = colours[i]!;
    ctx.fillRect((i % 3) * 640, Math.floor(i / 3) * 540, 640, 540);
  };
  for (let i = 0; i < 6; i++) block(i);
  // Each frame repaints only what changes (a moving bar, a counter), like a real screen: cheap to
  // draw, so the bench measures the share pipeline and the encoder rather than the painting.
  let barX = 0;
  const paint = () => {
    n += 1;
    ctx.fillStyle = colours[Math.floor(barX / 640)]!;
    ctx.fillRect(barX, 0, 40, 540);
    ctx.fillStyle = colours[3 + Math.floor(barX / 640)]!;
    ctx.fillRect(barX, 540, 40, 540);
    barX = (n * 16) % (W - 40);
    ctx.fillStyle = '#fff';
    ctx.fillRect(barX, 0, 40, H);
    ctx.fillStyle = colours[1]!;
    ctx.fillRect(700, 330, 400, 100);
    ctx.fillStyle = '#000';
    ctx.font = '48px sans-serif';
    ctx.fillText(`frame ${n}`, 720, 400);
  };
  paint();
  const timer = setInterval(paint, 1000 / 30);
  const track = canvas.captureStream(30).getVideoTracks()[0]!;
  return { track, stop: () => (clearInterval(timer), track.stop()) };
}

async function loopback(track: MediaStreamTrack): Promise<{ pcs: RTCPeerConnection[]; video: HTMLVideoElement }> {
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  a.onicecandidate = (e) => e.candidate && void b.addIceCandidate(e.candidate);
  b.onicecandidate = (e) => e.candidate && void a.addIceCandidate(e.candidate);
  const video = document.createElement('video');
  video.muted = true;
  video.autoplay = true;
  document.body.append(video);
  b.ontrack = (e) => {
    video.srcObject = e.streams[0] ?? new MediaStream([e.track]);
    void video.play();
  };
  a.addTrack(track, new MediaStream([track]));
  await a.setLocalDescription();
  await b.setRemoteDescription(a.localDescription!);
  await b.setLocalDescription();
  await a.setRemoteDescription(b.localDescription!);
  return { pcs: [a, b], video };
}

async function start(scenario: Scenario, mode: PipelineMode = 'worker'): Promise<void> {
  stop();
  const source = paintedSource();
  let pipeline: SharePipeline | null = null;
  let sent = source.track;
  if (scenario === 'uncropped') {
    source.track.contentHint = 'detail';
  } else {
    pipeline = createSharePipeline(source.track, { region: REGION, masks: scenario === 'crop' ? [] : MASKS, blanked: false }, {
      mode,
      createWorker: () => new Worker('./crop-worker.js', { type: 'module' }),
    });
    sent = pipeline.track;
  }
  const { pcs, video } = await loopback(sent);
  const state: Running = {
    video,
    frames: 0,
    encodedAtMark: 0,
    decodedAtMark: 0,
    sourceAtMark: 0,
    outAtMark: 0,
    since: performance.now(),
    pipeline,
    pcs,
    stop() {
      pipeline?.stop();
      source.stop();
      for (const pc of pcs) pc.close();
      video.remove();
    },
  };
  running = state;
  const count = () => {
    if (running !== state) return;
    state.frames += 1;
    video.requestVideoFrameCallback(count);
  };
  video.requestVideoFrameCallback(count);
}

async function framesEncoded(pc: RTCPeerConnection): Promise<number> {
  let n = 0;
  (await pc.getStats()).forEach((r: Record<string, unknown>) => {
    if (r.type === 'outbound-rtp' && r.kind === 'video') n += Number(r.framesEncoded ?? 0);
  });
  return n;
}

/** Frames the viewer's connection received and decoded (what the share delivers, before display). */
async function framesDecoded(pc: RTCPeerConnection): Promise<number> {
  let n = 0;
  (await pc.getStats()).forEach((r: Record<string, unknown>) => {
    if (r.type === 'inbound-rtp' && r.kind === 'video') n += Number(r.framesDecoded ?? 0);
  });
  return n;
}

/** Starts counting presented (and encoded) frames from now. */
async function mark(): Promise<void> {
  if (!running) return;
  running.frames = 0;
  running.encodedAtMark = await framesEncoded(running.pcs[0]!);
  running.decodedAtMark = await framesDecoded(running.pcs[1]!);
  running.sourceAtMark = running.pipeline?.stats().framesIn ?? 0;
  running.outAtMark = running.pipeline?.stats().framesOut ?? 0;
  running.since = performance.now();
}

async function read(): Promise<{ fps: number; encodedFps: number; decodedFps: number; sourceFps: number | null; outFps: number | null; width: number; height: number; pipeline: unknown; mode: string | null }> {
  if (!running) throw new Error('nothing running');
  const seconds = (performance.now() - running.since) / 1000;
  const encoded = await framesEncoded(running.pcs[0]!);
  const decoded = await framesDecoded(running.pcs[1]!);
  return {
    fps: running.frames / seconds,
    encodedFps: (encoded - running.encodedAtMark) / seconds,
    decodedFps: (decoded - running.decodedAtMark) / seconds,
    // Frames the capture delivered to the pipeline (the worker reports its count once a second).
    sourceFps: running.pipeline ? (running.pipeline.stats().framesIn - running.sourceAtMark) / seconds : null,
    outFps: running.pipeline ? (running.pipeline.stats().framesOut - running.outAtMark) / seconds : null,
    width: running.video.videoWidth,
    height: running.video.videoHeight,
    pipeline: running.pipeline?.stats() ?? null,
    mode: running.pipeline?.mode ?? null,
  };
}

function stop(): void {
  running?.stop();
  running = null;
}

declare global {
  interface Window {
    shareBench: { start: typeof start; mark: typeof mark; read: typeof read; stop: typeof stop };
  }
}
window.shareBench = { start, mark, read, stop };
