import { describe, expect, it } from 'vitest';
import { CallRecorder, RECORDER_TIMESLICE_MS, type MediaRecorderLike, type RecorderMedia } from '../../../../renderer/media/recorder/call-recorder';
import { memoryChunkQueue } from '../../../../renderer/media/recorder/chunk-queue';
import { ChunkUploader } from '../../../../renderer/media/recorder/uploader';

class FakeRecorder implements MediaRecorderLike {
  state: 'inactive' | 'recording' | 'paused' = 'inactive';
  ondataavailable: ((event: { data: Blob }) => void) | null = null;
  onstop: (() => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  calls: string[] = [];
  timeslice: number | undefined;
  start(timeslice?: number) {
    this.calls.push('start');
    this.timeslice = timeslice;
    this.state = 'recording';
  }
  stop() {
    this.calls.push('stop');
    this.emit('last');
    this.state = 'inactive';
    this.onstop?.();
  }
  pause() {
    this.calls.push('pause');
    this.state = 'paused';
  }
  resume() {
    this.calls.push('resume');
    this.state = 'recording';
  }
  requestData() {
    this.calls.push('requestData');
    this.emit('cut');
  }
  emit(text: string) {
    this.ondataavailable?.({ data: new Blob([text]) });
  }
}

function setup(firstSeq = 0) {
  const fake = new FakeRecorder();
  const mixed: MediaStream[][] = [];
  let closed = 0;
  const gate: string[] = [];
  const media: RecorderMedia = {
    mix: (streams) => {
      mixed.push(streams);
      return { stream: {} as MediaStream, gate: { close: () => void gate.push('close'), open: () => void gate.push('open') }, close: () => void (closed += 1) };
    },
    createRecorder: () => fake,
  };
  const chunks: { seq: number; text: Promise<string> }[] = [];
  const local = { id: 'mic' } as unknown as MediaStream;
  const remote = { id: 'remote' } as unknown as MediaStream;
  const recorder = new CallRecorder({ local, remote, media, firstSeq, onChunk: (c) => chunks.push({ seq: c.seq, text: c.data.text() }) });
  return { fake, recorder, chunks, mixed, gate, closed: () => closed, local, remote };
}

describe('CallRecorder', () => {
  it('mixes both sides, records in 1 s chunks numbered from firstSeq', async () => {
    const { fake, recorder, chunks, mixed, remote, local } = setup(5);
    expect(mixed).toEqual([[remote, local]]);
    recorder.start();
    expect(fake.timeslice).toBe(RECORDER_TIMESLICE_MS);
    fake.emit('a');
    fake.emit('');
    fake.emit('b');
    expect(chunks.map((c) => c.seq)).toEqual([5, 6]);
    expect(await chunks[1]!.text).toBe('b');
    expect(recorder.lastSeq).toBe(6);
  });

  it('secure pause cuts the pending chunk first, then pauses: nothing is captured until resume', () => {
    const { fake, recorder, chunks } = setup();
    recorder.start();
    recorder.pause();
    expect(fake.calls).toEqual(['start', 'requestData', 'pause']);
    expect(chunks.map((c) => c.seq)).toEqual([0]);
    recorder.pause();
    expect(fake.calls).toEqual(['start', 'requestData', 'pause']);
    recorder.resume();
    expect(fake.state).toBe('recording');
  });

  it('starts paused (a call handed over paused) and begins capturing only at resume', () => {
    const { fake, recorder } = setup();
    recorder.start(true);
    expect(fake.calls).toEqual([]);
    recorder.resume();
    expect(fake.calls).toEqual(['start']);
  });

  it('stop hands on the final chunk, releases the mixer and resolves with the last seq', async () => {
    const { recorder, chunks, closed } = setup();
    recorder.start();
    expect(await recorder.stop()).toBe(0);
    expect(chunks).toHaveLength(1);
    expect(closed()).toBe(1);
    expect(await recorder.stop()).toBe(0);
  });
});

function fakeServer() {
  const received: string[] = [];
  const bodies: unknown[] = [];
  let failing = false;
  let status = 200;
  const fetchImpl = (async (url: string, init: RequestInit) => {
    if (failing) throw new TypeError('Failed to fetch');
    received.push(`${String(url).replace('http://s', '')} ${init.headers && (init.headers as Record<string, string>).authorization}`);
    if (String(url).endsWith('/close')) bodies.push(JSON.parse(String(init.body)));
    return new Response('{}', { status });
  }) as unknown as typeof fetch;
  return {
    fetchImpl,
    received,
    bodies,
    fail: (on: boolean) => void (failing = on),
    setStatus: (s: number) => void (status = s),
  };
}

const chunk = (seq: number, segment = 0) => ({ recordingId: 'r1', segment, seq, data: new TextEncoder().encode(String(seq)).buffer, serverUrl: 'http://s' });

describe('CallRecorder secure pause at the mix', () => {
  it("closes the mix's gate before the recorder pauses and opens it only once the recorder runs again; new call media while paused go in behind the closed gate", () => {
    const fake = new FakeRecorder();
    const inputs: MediaStream[][] = [];
    const media: RecorderMedia = {
      mix: () => ({
        stream: {} as MediaStream,
        gate: { close: () => void fake.calls.push('gate.close'), open: () => void fake.calls.push('gate.open') },
        setStreams: (s) => void inputs.push(s),
        close: () => undefined,
      }),
      createRecorder: () => fake,
    };
    const local = { id: 'mic' } as unknown as MediaStream;
    const remote = { id: 'remote' } as unknown as MediaStream;
    const recorder = new CallRecorder({ local, remote, media, firstSeq: 0, onChunk: () => undefined });
    recorder.start();
    recorder.pause();
    expect(fake.calls).toEqual(['start', 'gate.close', 'requestData', 'pause']);
    const remote2 = { id: 'remote2' } as unknown as MediaStream;
    recorder.replaceStreams(remote2, local);
    expect(inputs).toEqual([[remote2, local]]);
    expect(fake.calls.at(-1)).toBe('pause');
    recorder.resume();
    expect(fake.calls).toEqual(['start', 'gate.close', 'requestData', 'pause', 'resume', 'gate.open']);
  });

  it('a recorder started paused keeps its gate closed until the resume starts it', () => {
    const { fake, recorder, gate } = setup();
    recorder.start(true);
    expect(gate).toEqual(['close']);
    recorder.resume();
    expect(fake.calls).toEqual(['start']);
    expect(gate).toEqual(['close', 'open']);
  });

  it('a stopped recorder does not open its gate again', async () => {
    const { recorder, gate } = setup();
    recorder.start();
    recorder.pause();
    await recorder.stop();
    recorder.resume();
    expect(gate).toEqual(['close']);
  });
});

describe('CallRecorder flush (the page unloads)', () => {
  it('cuts the chunk in progress while recording and goes on; does nothing while paused', () => {
    const { fake, recorder, chunks } = setup();
    recorder.start();
    recorder.flush();
    expect(fake.calls).toEqual(['start', 'requestData']);
    expect(fake.state).toBe('recording');
    expect(chunks.map((c) => c.seq)).toEqual([0]);
    recorder.pause();
    recorder.flush();
    expect(fake.calls).toEqual(['start', 'requestData', 'requestData', 'pause']);
  });
});

describe('ChunkUploader', () => {
  it('uploads in (segment, seq) order with the session token, deletes what was acknowledged, closes after the chunks with every segment', async () => {
    const server = fakeServer();
    const queue = memoryChunkQueue();
    const up = new ChunkUploader({ queue, fetch: server.fetchImpl, tokenFor: () => 't' });
    await queue.putChunk(chunk(0, 1));
    await queue.putChunk(chunk(1));
    await queue.putChunk(chunk(0));
    await queue.putClose({ recordingId: 'r1', segments: [{ segment: 0, lastSeq: 1 }, { segment: 1, lastSeq: 0 }], serverUrl: 'http://s' });
    await up.flush();
    expect(server.received).toEqual([
      '/api/recordings/r1/segments/0/chunks/0 Bearer t',
      '/api/recordings/r1/segments/0/chunks/1 Bearer t',
      '/api/recordings/r1/segments/1/chunks/0 Bearer t',
      '/api/recordings/r1/close Bearer t',
    ]);
    expect(server.bodies).toEqual([{ segments: [{ segment: 0, lastSeq: 1 }, { segment: 1, lastSeq: 0 }] }]);
    expect(await queue.chunks()).toEqual([]);
    expect(await queue.closes()).toEqual([]);
  });

  it('sends what an older app version queued (no segment) as segment 0', async () => {
    const server = fakeServer();
    const queue = memoryChunkQueue();
    const up = new ChunkUploader({ queue, fetch: server.fetchImpl, tokenFor: () => 't' });
    await queue.putChunk({ recordingId: 'r1', seq: 0, data: new ArrayBuffer(1), serverUrl: 'http://s' });
    await queue.putClose({ recordingId: 'r1', lastSeq: 0, serverUrl: 'http://s' });
    await up.flush();
    expect(server.received.map((r) => r.split(' ')[0])).toEqual(['/api/recordings/r1/segments/0/chunks/0', '/api/recordings/r1/close']);
    expect(server.bodies).toEqual([{ lastSeq: 0 }]);
  });

  it('keeps chunks while uploads fail and sends them when retried; no close before its chunks', async () => {
    const server = fakeServer();
    const queue = memoryChunkQueue();
    const timers: (() => void)[] = [];
    const up = new ChunkUploader({ queue, fetch: server.fetchImpl, tokenFor: () => 't', setTimer: (fn) => timers.push(fn), clearTimer: () => undefined });
    server.fail(true);
    await up.enqueue(chunk(0));
    await up.enqueue(chunk(1));
    await up.enqueueClose('r1', [{ segment: 0, lastSeq: 1 }], 'http://s', 'u1');
    await up.flush();
    expect((await queue.chunks()).map((c) => c.seq)).toEqual([0, 1]);
    expect(await queue.closes()).toHaveLength(1);
    expect(timers.length).toBe(1);
    server.fail(false);
    timers.shift()!();
    await up.flush();
    expect(server.received.map((r) => r.split(' ')[0])).toEqual(['/api/recordings/r1/segments/0/chunks/0', '/api/recordings/r1/segments/0/chunks/1', '/api/recordings/r1/close']);
    expect(await queue.chunks()).toEqual([]);
  });

  it('waits without a session; drops a chunk the server refuses for good', async () => {
    const server = fakeServer();
    const queue = memoryChunkQueue();
    let token: string | null = null;
    const errors: string[] = [];
    const up = new ChunkUploader({ queue, fetch: server.fetchImpl, tokenFor: () => token, setTimer: () => 1, clearTimer: () => undefined, onError: (m) => errors.push(m) });
    await up.enqueue(chunk(0));
    await up.flush();
    expect(server.received).toEqual([]);
    token = 't';
    server.setStatus(403);
    await up.flush();
    expect(await queue.chunks()).toEqual([]);
    expect(errors[0]).toMatch(/403/);
  });
});

describe('player timeline', () => {
  it('places pauses on the wall-clock bar and maps playback time past them', async () => {
    const { pauseMarks, playheadFraction } = await import('../../../../renderer/features/recording/recording-api');
    const t = (s: number) => new Date(Date.UTC(2030, 0, 1, 0, 0, s)).toISOString();
    const rec = { startedAt: t(0), endedAt: t(20), pauses: [{ startedAt: t(5), endedAt: t(10), actor: 'agent1' }] };
    expect(pauseMarks(rec)).toEqual([{ left: 0.25, width: 0.25, startedAt: t(5), endedAt: t(10) }]);
    expect(playheadFraction(rec, 4000)).toBe(0.2);
    // 6 s into the file is 11 s into the call: the 5 s pause was not recorded.
    expect(playheadFraction(rec, 6000)).toBe(0.55);
    expect(playheadFraction(rec, 60_000)).toBe(1);
  });
});

describe('CallRecorder streams', () => {
  it('swaps the mixer inputs when the call media is re-established, keeping one recorder session', () => {
    const sets: MediaStream[][] = [];
    const fake = new FakeRecorder();
    const media: RecorderMedia = {
      mix: () => ({ stream: {} as MediaStream, gate: { close: () => undefined, open: () => undefined }, setStreams: (s) => void sets.push(s), close: () => undefined }),
      createRecorder: () => fake,
    };
    const a = { id: 'a' } as unknown as MediaStream;
    const b = { id: 'b' } as unknown as MediaStream;
    const mic = { id: 'mic' } as unknown as MediaStream;
    const recorder = new CallRecorder({ local: mic, remote: a, media, firstSeq: 0, onChunk: () => undefined });
    recorder.start();
    recorder.replaceStreams(a, mic);
    expect(sets).toEqual([]);
    recorder.replaceStreams(b, null);
    expect(sets).toEqual([[b, mic]]);
    expect(fake.calls).toEqual(['start']);
  });
});

describe('CallRecorder and a barging supervisor', () => {
  it("mixes the voice the customer hears in (barge) and drops it again (hold, whisper, listen), in one recorder session; while paused it waits behind the closed gate", () => {
    const sets: MediaStream[][] = [];
    const mixed: MediaStream[][] = [];
    const gate: string[] = [];
    const fake = new FakeRecorder();
    const media: RecorderMedia = {
      mix: (s) => {
        mixed.push(s);
        return { stream: {} as MediaStream, gate: { close: () => void gate.push('close'), open: () => void gate.push('open') }, setStreams: (s) => void sets.push(s), close: () => undefined };
      },
      createRecorder: () => fake,
    };
    const remote = { id: 'remote' } as unknown as MediaStream;
    const mic = { id: 'mic' } as unknown as MediaStream;
    const voice = { id: 'voice' } as unknown as MediaStream;
    // Barge already on when the recorder starts (e.g. after a resume of a call that came paused).
    const recorder = new CallRecorder({ local: mic, remote, voice, media, firstSeq: 0, onChunk: () => undefined });
    expect(mixed).toEqual([[remote, mic, voice]]);
    recorder.start();
    recorder.replaceStreams(remote, mic, voice);
    expect(sets).toEqual([]);
    recorder.replaceStreams(remote, mic, null);
    expect(sets).toEqual([[remote, mic]]);
    recorder.pause();
    recorder.replaceStreams(remote, mic, voice);
    expect(sets.at(-1)).toEqual([remote, mic, voice]);
    // The closed gate stays closed: the mixer keeps new inputs behind it (audio-mix.ts) until the resume opens it.
    expect(gate).toEqual(['close']);
    recorder.resume();
    expect(gate).toEqual(['close', 'open']);
    expect(fake.calls).toEqual(['start', 'requestData', 'pause', 'resume']);
  });
});
