import { endpoints } from '../../../shared/api/endpoints';
import { MAX_RECORDING_CHUNK_BYTES } from '../../../shared/api/recordings';
import { DomainError } from '../../kernel/errors';
import { ALL_ROLES, declareRoute, type DeclaredInput, type RouteContext } from '../../kernel/routes';
import type { ErrorBody } from '../../../shared/api/errors';
import { parseByteRange, RangeNotSatisfiable } from './byte-range';
import type { RecordingService } from './recording-service';
import type { ScreenRecordingService } from './screen/screen-recording-service';

/** Chunk bodies: the raw bytes MediaRecorder produced (audio/webm, video/webm for the screen, any parameters) or octet-stream. */
const CHUNK_TYPES = /^(audio\/webm|video\/webm|application\/octet-stream)(\s*;.*)?$/i;

/**
 * Recording policy (admin), chunk upload and close (the agent of the call), metadata and audio
 * (supervisors and admins; agents their own, audio only when the policy allows).
 */
export function registerRecordingRoutes({ app, guard }: RouteContext, deps: { recordings: RecordingService; screen: ScreenRecordingService }): void {
  const { recordings, screen } = deps;
  const admin = guard(['admin']);
  const staff = guard(ALL_ROLES);
  const agent = guard(['agent']);

  declareRoute(app, endpoints.recordingPolicy, { preHandler: admin }, async () => recordings.policy());
  declareRoute(app, endpoints.saveRecordingPolicy, { preHandler: admin, input: 'recording policy' }, async ({ body: policy, request }) => {
    const user = request.session!.user;
    return recordings.setPolicy(policy, { id: user.id, username: user.username });
  });

  declareRoute(app, endpoints.screenRecordingPolicy, { preHandler: admin }, async () => screen.policy());
  declareRoute(app, endpoints.saveScreenRecordingPolicy, { preHandler: admin, input: 'screen recording policy' }, async ({ body: policy, request }) => {
    const user = request.session!.user;
    return screen.setPolicy(policy, { id: user.id, username: user.username });
  });

  declareRoute(app, endpoints.recordings, { preHandler: staff, input: 'recordings query' }, async ({ query, request }) => {
    return { recordings: await recordings.access.list(request.session!.user, query.interactionId) };
  });

  declareRoute(app, endpoints.recording, { preHandler: staff }, async ({ params, request }) => recordings.access.get(request.session!.user, params.id));

  declareRoute(app, endpoints.recordingAudio, { preHandler: staff, input: 'audio query' }, async ({ params, query, request, reply }) => {
    const download = query.download === '1';
    const rangeHeader = request.headers.range;
    let audio;
    try {
      // Playback seeks with Range requests; a sealed file maps the range to its blocks.
      audio = await recordings.access.openAudio(request.session!.user, params.id, download, (size) => parseByteRange(rangeHeader, size));
    } catch (err) {
      if (!(err instanceof RangeNotSatisfiable)) throw err;
      const body: ErrorBody = { error: { code: 'bad_request', message: err.message } };
      return reply.status(416).header('content-range', `bytes */${err.size}`).send(body);
    }
    reply.header('content-type', audio.mimeType.split(';')[0] ?? 'audio/webm');
    reply.header('accept-ranges', 'bytes');
    reply.header('cache-control', 'no-store');
    if (download) reply.header('content-disposition', `attachment; filename="recording-${params.id}.webm"`);
    if (audio.range) {
      reply.status(206);
      reply.header('content-range', `bytes ${audio.range.start}-${audio.range.end}/${audio.size}`);
      reply.header('content-length', String(audio.range.end - audio.range.start + 1));
    } else {
      reply.header('content-length', String(audio.size));
    }
    return reply.send(audio.stream);
  });

  declareRoute(app, endpoints.closeRecording, { preHandler: agent, input: 'close request' }, async ({ body, params, request }) => {
    const lastSeqs = [...(body.lastSeq !== undefined ? [{ segment: 0, lastSeq: body.lastSeq }] : []), ...(body.segments ?? [])];
    return recordings.close(request.session!.user, params.id, lastSeqs);
  });

  // Chunks are binary: their own content-type parser and body limit, in a scope of their own.
  void app.register(async (scope) => {
    scope.addContentTypeParser(CHUNK_TYPES, { parseAs: 'buffer', bodyLimit: MAX_RECORDING_CHUNK_BYTES }, (_request, body, done) => done(null, body));
    // Rethrown as domain errors, so the server's error handler writes the answer.
    scope.setErrorHandler((error: { statusCode?: number; code?: string }) => {
      if (error.statusCode === 413 || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        throw new DomainError('payload_too_large', `A chunk may be at most ${MAX_RECORDING_CHUNK_BYTES} bytes.`);
      }
      if (error.statusCode === 415 || error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
        throw new DomainError('unsupported_media_type', 'Send the chunk bytes with Content-Type: audio/webm (or application/octet-stream).');
      }
      throw error;
    });
    const chunkRoute = { preHandler: agent, bodyLimit: MAX_RECORDING_CHUNK_BYTES, input: 'chunk address' };
    const putChunk = async ({ params, body, request }: DeclaredInput<typeof endpoints.recordingChunk | typeof endpoints.recordingChunkUnsegmented>, startedAgoMs?: number) => {
      if (!Buffer.isBuffer(body)) throw new DomainError('unsupported_media_type', 'Send the chunk bytes with Content-Type: audio/webm.');
      return recordings.putChunk(request.session!.user, params.recordingId, params.segment, params.seq, body, startedAgoMs);
    };
    // Each MediaRecorder run of the app is a segment with its own seq numbering; seq 0 may say when the run started.
    declareRoute(scope, endpoints.recordingChunk, chunkRoute, (input) => putChunk(input, input.query.startedAgoMs));
    // Apps from before segments: their chunks are segment 0.
    declareRoute(scope, endpoints.recordingChunkUnsegmented, chunkRoute, (input) => putChunk(input));
  });
}
