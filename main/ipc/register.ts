import type { z } from 'zod';
import {
  IPC_CHANNELS,
  IpcContract,
  type IpcChannel,
  type IpcRequest,
  type IpcResponse,
  type IpcResult,
} from '../../shared/bridge/ipc';
import { originOf } from '../app-origin';
import { type Logger, silentLogger } from '../log';

/** Who called: the sender's webContents (checked to be one of our windows before any handler runs). */
export interface IpcCaller {
  readonly sender: object;
}

/** What a handler does for one channel; arguments arrive already validated, followed by the caller. */
export type IpcHandlers = {
  [C in IpcChannel]: (...args: [...IpcRequest<C>, caller?: IpcCaller]) => IpcResponse<C> | Promise<IpcResponse<C>>;
};

/** Names for the positional arguments, so a refusal says which field was wrong. */
export const IPC_ARG_NAMES: { readonly [C in IpcChannel]: readonly string[] } = {
  'app:info': [],
  'settings:get-server-url': [],
  'settings:set-server-url': ['url'],
  'shell:open-external': ['url'],
  'update:interaction-live': ['live'],
  'update:status': [],
  'update:install-now': [],
  'capture:list-sources': [],
  'capture:select-source': ['sourceId'],
  'capture:protection': [],
  'local-data:bind-user': ['proof'],
  'local-data:release-user': [],
  'local-data:key': ['scope'],
  'local-data:forget-key': ['scope'],
  'notify:offer': ['notification'],
  'app:set-badge-count': ['count'],
};

export const IPC_ERROR = {
  forbidden: 'forbidden_sender',
  invalidRequest: 'invalid_request',
  invalidResponse: 'invalid_response',
  failed: 'handler_failed',
} as const;

/** Thrown by a handler to send a specific code and message to the renderer. */
export class IpcError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'IpcError';
  }
}

export interface SenderFrame {
  readonly url: string;
  readonly parent: unknown;
}

/** The part of IpcMainInvokeEvent the wrapper looks at. */
export interface InvokeEvent {
  readonly senderFrame: SenderFrame | null;
  readonly sender: unknown;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
}

export interface SenderPolicy {
  appOrigin: string;
  /** True when this webContents belongs to one of our windows. */
  isOurWebContents(sender: unknown): boolean;
  log?: Logger;
}

/** Why a sender is refused, or null when it is the main frame of one of our windows. */
export function senderRefusal(event: InvokeEvent, policy: SenderPolicy): string | null {
  const frame = event.senderFrame;
  if (!frame) return 'sender frame is gone';
  if (frame.parent !== null) return 'only the main frame may call';
  if (originOf(frame.url) !== policy.appOrigin) return 'sender origin is not the app';
  if (!policy.isOurWebContents(event.sender)) return 'sender is not a Veildesk window';
  return null;
}

function describeIssues(channel: IpcChannel, issues: readonly z.core.$ZodIssue[]): string {
  const names = IPC_ARG_NAMES[channel];
  const parts = issues.map((issue) => {
    const [index, ...rest] = issue.path;
    if (typeof index !== 'number') return `arguments: ${issue.message}`;
    const name = names[index] ?? `args[${index}]`;
    return `${[name, ...rest.map(String)].join('.')}: ${issue.message}`;
  });
  return `${channel}: ${parts.join('; ')}`;
}

function fail(code: string, message: string): { ok: false; error: { code: string; message: string } } {
  return { ok: false, error: { code, message } };
}

/**
 * Wraps one handler: refuses unknown senders, validates the argument tuple and the response
 * against the shared contract, and turns every failure into an error result. Never throws, so a
 * bad payload can't crash main or leak a stack trace across the boundary.
 */
export function wrapIpcHandler<C extends IpcChannel>(
  channel: C,
  handler: IpcHandlers[C],
  policy: SenderPolicy,
): (event: InvokeEvent, ...args: unknown[]) => Promise<IpcResult<IpcResponse<C>>> {
  const log = policy.log ?? silentLogger;
  const contract = IpcContract[channel];
  return async (event, ...args) => {
    let refusal: string | null;
    try {
      refusal = senderRefusal(event, policy);
    } catch {
      refusal = 'sender could not be checked';
    }
    if (refusal !== null) {
      log.warn('IPC call refused', { channel, reason: refusal });
      return fail(IPC_ERROR.forbidden, `${channel}: ${refusal}`);
    }

    const request = contract.request.safeParse(args);
    if (!request.success) return fail(IPC_ERROR.invalidRequest, describeIssues(channel, request.error.issues));

    let value: unknown;
    try {
      const caller: IpcCaller = { sender: event.sender as object };
      value = await (handler as (...a: unknown[]) => unknown)(...request.data, caller);
    } catch (error) {
      if (error instanceof IpcError) return fail(error.code, error.message);
      log.error('IPC handler failed', { channel, error: String(error) });
      const message = error instanceof Error ? error.message : String(error);
      return fail(IPC_ERROR.failed, `${channel} failed: ${message}`);
    }

    const response = contract.response.safeParse(value);
    if (!response.success) {
      log.error('IPC handler returned a value outside the contract', { channel });
      return fail(IPC_ERROR.invalidResponse, `${channel}: main returned an invalid response`);
    }
    return { ok: true, value: response.data as IpcResponse<C> };
  };
}

/** The one place handlers are registered: every contract channel, each through the wrapper. */
export function registerIpcHandlers(ipcMain: IpcMainLike, handlers: IpcHandlers, policy: SenderPolicy): void {
  for (const channel of IPC_CHANNELS) {
    ipcMain.handle(channel, wrapIpcHandler(channel, handlers[channel], policy));
  }
}
