import { AdminQueuesResponse, type CreateQueueRequest, Queue, type UpdateQueueRequest, routes } from '../../../shared';
import { screenHttpClient } from '../../net/http-failure';

/** HTTP for Admin → Queues: list, create, change (name, members, dispositions, offer timeout, chat capacity). */

const UNREADABLE = 'The server sent queues this app cannot read; update the app.';

export async function fetchAdminQueues(serverUrl: string, token: string, fetchImpl: typeof fetch = fetch): Promise<Queue[]> {
  return (await screenHttpClient(serverUrl, fetchImpl).call(routes.adminQueues, { token, check: AdminQueuesResponse, unreadable: UNREADABLE })).queues;
}

export async function createQueue(serverUrl: string, token: string, body: CreateQueueRequest, fetchImpl: typeof fetch = fetch): Promise<Queue> {
  return screenHttpClient(serverUrl, fetchImpl).call(routes.createQueue, { token, body, check: Queue, unreadable: UNREADABLE });
}

export async function updateQueue(serverUrl: string, token: string, id: string, body: UpdateQueueRequest, fetchImpl: typeof fetch = fetch): Promise<Queue> {
  return screenHttpClient(serverUrl, fetchImpl).call(routes.updateQueue, { token, params: { id }, body, check: Queue, unreadable: UNREADABLE });
}
