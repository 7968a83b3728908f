import { PrivacyRequest } from '../../shared/api/privacy';
import type { ServerMessageOf } from '../../shared/api/ws';
import { api, isType, nextFrame, waitFor, type TestBackend } from './helpers';
import { connected, isState, type Agent, type Customer } from './interactions-support';

/** Shared by the privacy tests: finished chats and recorded calls with everything a customer leaves behind. */

/** Uploads one chunk of a recording (segment 0). */
export async function uploadChunk(server: TestBackend, token: string, recordingId: string, seq: number, bytes: string): Promise<number> {
  const res = await fetch(`${server.url}/api/recordings/${recordingId}/segments/0/chunks/${seq}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'audio/webm;codecs=opus' },
    body: new Uint8Array(Buffer.from(bytes)),
  });
  return res.status;
}

/** Ends the interaction from the agent's side and submits the wrap-up; waits until it is closed. */
export async function endAndWrapUp(agent: Agent, customer: Customer, notes: string): Promise<void> {
  const id = customer.interactionId;
  agent.ws.send({ type: 'interaction.end', interactionId: id });
  await nextFrame(agent.ws, (f) => f.type === 'wrapup.required' && f.interactionId === id);
  await nextFrame(customer.ws, isState('ended'));
  agent.ws.send({ type: 'wrapup.submit', interactionId: id, disposition: 'Resolved', notes });
  await nextFrame(agent.ws, (f) => f.type === 'wrapup.done' && f.interactionId === id);
}

/** A chat where the customer and the agent each say the given lines, then ended and wrapped up. */
export async function finishedChat(server: TestBackend, agent: Agent, customer: { name: string; email: string }, lines: { customer: string[]; agent: string[] }, wrapup: string): Promise<string> {
  const c = await connected(server, agent, { kind: 'chat', customer });
  const id = c.interactionId;
  for (const text of lines.customer) {
    c.ws.send({ type: 'chat.send', interactionId: id, text, clientMsgId: `c-${Math.random().toString(36).slice(2)}` });
    await nextFrame(agent.ws, (f) => f.type === 'chat.message' && f.message.text === text);
  }
  for (const text of lines.agent) {
    agent.ws.send({ type: 'chat.send', interactionId: id, text, clientMsgId: `a-${Math.random().toString(36).slice(2)}` });
    await nextFrame(c.ws, (f) => f.type === 'chat.message' && f.message.text === text);
  }
  await endAndWrapUp(agent, c, wrapup);
  return id;
}

/** A call that was recorded (chunks uploaded, recording closed and assembled), then ended and wrapped up. */
export async function finishedRecordedCall(server: TestBackend, agent: Agent, customer: { name: string; email: string }, wrapup: string): Promise<{ interactionId: string; recordingId: string }> {
  const c = await connected(server, agent, { kind: 'call', customer });
  const id = c.interactionId;
  const state = await nextFrame<ServerMessageOf<'recording.state'>>(agent.ws, (f) => f.type === 'recording.state' && f.interactionId === id && f.recording);
  const recordingId = state.recordingId!;
  for (const [seq, bytes] of ['RIFF-voice-0', 'voice-1', 'voice-2'].entries()) if ((await uploadChunk(server, agent.login.token, recordingId, seq, bytes)) !== 200) throw new Error('chunk upload failed');
  const closed = await api(server.url, `/api/recordings/${recordingId}/close`, { token: agent.login.token, json: { lastSeq: 2 } });
  if (closed.status !== 200) throw new Error(`close → ${closed.status}`);
  await endAndWrapUp(agent, c, wrapup);
  return { interactionId: id, recordingId };
}

export { isType };

/** Polls a privacy request until it has completed or failed; returns its last state. */
export async function waitForEnd(server: TestBackend, token: string, id: string): Promise<PrivacyRequest> {
  let last: PrivacyRequest | undefined;
  await waitFor(
    async () => {
      last = PrivacyRequest.parse((await api(server.url, `/api/privacy/requests/${id}`, { token })).body);
      return last.status === 'completed' || last.status === 'failed';
    },
    20_000,
    `privacy request ${id} to end`,
  );
  return last!;
}
