import { type ChatMessage, type InteractionDetail, type InteractionSummary } from '../../../shared';

/** Interaction fixtures shaped like the server's, with just enough variety for renderer tests. */

export function summary(overrides: Partial<InteractionSummary> = {}): InteractionSummary {
  return {
    id: 'i-1',
    kind: 'chat',
    status: 'active',
    queueId: 'q-support',
    queueName: 'Support',
    customer: { name: 'Carla Customer' },
    agentId: 'u-agent1',
    agentName: 'Agent One',
    createdAt: '2024-05-01T10:00:00.000Z',
    answeredAt: '2024-05-01T10:00:20.000Z',
    endedAt: null,
    onHold: false,
    disposition: null,
    ...overrides,
  };
}

export function message(seq: number, overrides: Partial<ChatMessage> = {}): ChatMessage {
  return {
    id: `msg-${seq}`,
    interactionId: 'i-1',
    seq,
    from: 'customer',
    authorName: 'Carla Customer',
    text: `message ${seq}`,
    at: new Date(Date.parse('2024-05-01T10:01:00.000Z') + seq * 1000).toISOString(),
    ...overrides,
  };
}

export function detail(overrides: Partial<InteractionDetail> = {}): InteractionDetail {
  return {
    ...summary(),
    messages: [],
    timeline: [],
    wrapup: null,
    durations: { waitMs: 20_000, talkMs: null, holdMs: 0, totalMs: null },
    ...overrides,
  };
}
