/*
 * Type-only views of the shared contracts. The widget imports types from shared/ but not the zod
 * schemas themselves, so the customer's bundle stays small (the server validates what we send).
 */
import type { WidgetQueuesResponse } from '../../shared/api/interactions-http';
import type { ClientMessage, ServerMessage, ServerMessageOf } from '../../shared/api/ws';
import type { ChatMessage, CustomerInfo } from '../../shared/domain/interactions';

export type { ChatMessage, ClientMessage, CustomerInfo, ServerMessage, ServerMessageOf };
export type WidgetQueue = WidgetQueuesResponse['queues'][number];
export type InteractionKindLive = 'chat' | 'call';
export type CustomerStateFrame = ServerMessageOf<'customer.state'>;
export type CustomerStateName = CustomerStateFrame['state'];
export type HelloCustomerFrame = ServerMessageOf<'hello.customer'>;
export type ErrorFrame = ServerMessageOf<'error'>;

/** Longest chat message the server accepts (MAX_CHAT_TEXT in shared/domain; a unit test keeps them equal). */
export const MAX_CHAT_TEXT = 4000;
