import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  CloseRecordingRequest,
  MAX_RECORDING_CHUNK_BYTES,
  MAX_RECORDING_SEGMENT,
  MAX_RECORDING_SEQ,
  RecordingPolicy,
  RecordingsQuery,
  type ChunkUploadResponse,
  type Recording,
  type RecordingsResponse,
} from '../../../shared/api/recordings';
import { DomainError, parseInput } from '../../kernel/errors';
import { ALL_ROLES, type RouteContext } from '../../kernel/routes';
import type { RecordingService } from './recording-service';

const ChunkParams = z.strictObject({
  recordingId: z.string().min(1).max(64),
  /** Absent on the route from before segments: segment 0. */
  segment: z.coerce.number().int().min(0).max(MAX_RECORDING_SEGMENT).default(0),
  seq: z.coerce.number().int().min(0).max(MAX_RECORDING_SEQ),
});
const AudioQuery = z.strictObject({ download: z.enum(['0', '1']).optional() });

/** Chunk bodies: the raw bytes MediaRecorder produced (audio/webm, any parameters) or octet-stream. */
const CHUNK_TYPES = /^(audio\/webm|application\/octet-stream)(\s*;.*)?$/i;

/**
 * Recording policy (admin), chunk upload and close (the agent of the call), metadata and audio
 * (supervisors and admins; agents their own, audio only when the policy allows).
 */
export function registerRecordingRoutes({ app, guard }: RouteContext, deps: { recordings: RecordingService }): void {
  const { recordings } = deps;
  const admin = guard(['admin']);
  const staff = guard(ALL_ROLES);
  const agent = guard(['agent']);

  app.get('/api/admin/recording-policy', { preHandler: admin }, async (): Promise<RecordingPolicy> => recordings.policy());
  app.put('/api/admin/recording-policy', { preHandler: admin }, async (request): Promise<RecordingPolicy> => {
    const policy = parseInput(RecordingPolicy, request.body, 'recording policy');
    const user = request.session!.user;
    return recordings.setPolicy(policy, { id: user.id, username: user.username });
  });

  app.get('/api/recordings', { preHandler: staff }, async (request): Promise<RecordingsResponse> => {
    const query = parseInput(RecordingsQuery, request.query, 'recordings query');
    return { recordings: await recordings.list(request.session!.user, query.interactionId) };
  });

  app.get<{ Params: { id: string } }>('/api/recordings/:id', { preHandler: staff }, async (request): Promise<Recording> => recordings.get(request.session!.user, request.params.id));

  app.get<{ Params: { id: string } }>('/api/recordings/:id/audio', { preHandler: staff }, async (request, reply) => {
    const query = parseInput(AudioQuery, request.query, 'audio query');
    const download = query.download === '1';
    const audio = await recordings.openAudio(request.session!.user, request.params.id, download);
    reply.header('content-type', audio.mimeType.split(';')[0] ?? 'audio/webm');
    reply.header('content-length', String(audio.size));
    reply.header('cache-control', 'no-store');
    if (download) reply.header('content-disposition', `attachment; filename="recording-${request.params.id}.webm"`);
    return reply.send(audio.stream);
  });

  app.post<{ Params: { id: string } }>('/api/recordings/:id/close', { preHandler: agent }, async (request): Promise<Recording> => {
    const body = parseInput(CloseRecordingRequest, request.body ?? {}, 'close request');
    const lastSeqs = [...(body.lastSeq !== undefined ? [{ segment: 0, lastSeq: body.lastSeq }] : []), ...(body.segments ?? [])];
    return recordings.close(request.session!.user, request.params.id, lastSeqs);
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
    const chunkRoute = { preHandler: agent, bodyLimit: MAX_RECORDING_CHUNK_BYTES };
    const putChunk = async (request: FastifyRequest): Promise<ChunkUploadResponse> => {
      const params = parseInput(ChunkParams, request.params, 'chunk address');
      if (!Buffer.isBuffer(request.body)) throw new DomainError('unsupported_media_type', 'Send the chunk bytes with Content-Type: audio/webm.');
      return recordings.putChunk(request.session!.user, params.recordingId, params.segment, params.seq, request.body);
    };
    // Each MediaRecorder run of the app is a segment with its own seq numbering.
    scope.post('/api/recordings/:recordingId/segments/:segment/chunks/:seq', chunkRoute, putChunk);
    // Apps from before segments: their chunks are segment 0.
    scope.post('/api/recordings/:recordingId/chunks/:seq', chunkRoute, putChunk);
  });
}
