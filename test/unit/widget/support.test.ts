import { describe, expect, it, vi } from 'vitest';
import { createWidgetApi, errorFromBody, NETWORK_ERROR } from '../../../widget/lib/api';
import { randomId } from '../../../widget/lib/ids';
import { microphoneErrorMessage } from '../../../widget/lib/mic-errors';
import { createSessionStore, parseSession, SESSION_KEY } from '../../../widget/lib/saved-session';
import { MAX_CHAT_TEXT as WIDGET_MAX } from '../../../widget/lib/types';
import { MAX_CHAT_TEXT } from '../../../shared/domain/interactions';
import { MemoryStorage } from './fakes';

describe('api errors', () => {
  it('uses the server’s message and field issues', () => {
    const err = errorFromBody(400, { error: { code: 'bad_request', message: 'Invalid body', issues: [{ path: 'customer.email', message: 'email must be a valid address' }] } });
    expect(err.message).toBe('Invalid body (customer.email: email must be a valid address)');
    expect(err.code).toBe('bad_request');
    expect(errorFromBody(429, null).message).toMatch(/Wait a minute/);
    expect(errorFromBody(502, 'html').message).toMatch(/Try again in a moment/);
  });

  it('a network failure says to check the connection', async () => {
    const api = createWidgetApi(() => Promise.reject(new TypeError('Failed to fetch')));
    await expect(api.queues()).rejects.toThrow(NETWORK_ERROR);
  });

  it('posts JSON to the widget endpoints', async () => {
    const fetch = vi.fn(async () => ({ ok: true, status: 200, json: async () => ({ interactionId: 'i', customerToken: 'vc', expiresAt: 'x' }) }));
    await createWidgetApi(fetch).start({ kind: 'chat', queueId: 'q', customer: {} });
    expect(fetch).toHaveBeenCalledWith('/api/widget/interactions', expect.objectContaining({ method: 'POST', body: '{"kind":"chat","queueId":"q","customer":{}}' }));
  });
});

describe('small helpers', () => {
  it('random ids fit the 64-character clientMsgId limit', () => {
    const id = randomId('m');
    expect(id).toMatch(/^m_[0-9a-f]{32}$/);
    expect(id.length).toBeLessThanOrEqual(64);
    expect(randomId('m')).not.toBe(id);
  });

  it('microphone errors tell the customer what to do', () => {
    expect(microphoneErrorMessage({ name: 'NotAllowedError' })).toMatch(/Allow the microphone/);
    expect(microphoneErrorMessage({ name: 'NotFoundError' })).toMatch(/No microphone/);
    expect(microphoneErrorMessage(new Error('x'))).toMatch(/could not be started/);
  });

  it('the saved session drops expired or malformed entries', () => {
    const storage = new MemoryStorage();
    const store = createSessionStore(storage);
    store.save({ interactionId: 'i', customerToken: 'vc', expiresAt: '2026-01-01T00:00:00Z', kind: 'chat', queueId: 'q', outbox: [], agentReadUpTo: 0 });
    expect(store.load(Date.parse('2025-12-31T00:00:00Z'))).toMatchObject({ interactionId: 'i' });
    expect(store.load(Date.parse('2026-01-02T00:00:00Z'))).toBeNull();
    expect(storage.getItem(SESSION_KEY)).toBeNull();
    expect(parseSession('{"interactionId":1}')).toBeNull();
    expect(createSessionStore(null).load(0)).toBeNull();
  });
});

describe('chat limits', () => {
  it('uses the same length limit as the shared contract', () => {
    expect(WIDGET_MAX).toBe(MAX_CHAT_TEXT);
  });
});
