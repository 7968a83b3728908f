import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { IPC_CHANNELS, IpcContract, type IpcChannel, type IpcResult } from '../../../shared/bridge/ipc';
import { APP_ORIGIN } from '../../../main/app-origin';
import { IPC_ERROR, IpcError, type InvokeEvent, type SenderPolicy, wrapIpcHandler } from '../../../main/ipc/register';
import { silentLogger } from '../../../main/log';
import { FuzzStats } from '../../support/fuzz-stats';
import { arbitraryFor, draw, fuzzSeed, junkValue, mutatedFor, oddString } from '../../support/zod-arbitrary';

/**
 * The IPC boundary without Electron: the wrapper every main-process handler is registered through
 * (main/ipc/register.ts), fed generated invoke events and argument lists from the contract
 * (shared/bridge/ipc.ts), valid and mutated, with handlers that answer in or out of the contract
 * or throw. It must never throw, refuse foreign senders before anything else, never call a handler
 * with arguments outside the contract, and answer every call with a result the renderer can show.
 */

const SEED = fuzzSeed();
const PER_CHANNEL = 1200;
const MIN_INPUTS = 10_000;

const ours = { id: 1 };
const policy: SenderPolicy = { appOrigin: APP_ORIGIN, isOurWebContents: (s) => s === ours, log: silentLogger };

/** Invoke events: mostly the app's main frame, else a foreign origin, a subframe, a gone frame, another webContents, or a frame whose getters throw (destroyed). */
type SenderKind = 'ours' | 'foreign-origin' | 'subframe' | 'no-frame' | 'foreign-contents' | 'throws';
const foreignUrls = fc.oneof(
  fc.constantFrom(
    'https://evil.example/',
    'app://veildesk.evil/index.html',
    'app://veildesk:1/index.html',
    'APP://VEILDESK/index.html',
    'file:///app/index.html',
    'data:text/html,<script>1</script>',
    'blob:app://veildesk/1234',
    'javascript:alert(1)',
    'about:blank',
    '',
    'app:veildesk',
  ),
  fc.webUrl(),
  oddString(40),
);
const events: fc.Arbitrary<{ kind: SenderKind; event: InvokeEvent }> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('app://veildesk/index.html', 'app://veildesk/', 'app://veildesk/index.html#/work?x=1', /* user info is not part of an origin */ 'app://evil@veildesk/index.html').map((url) => ({ kind: 'ours' as const, event: { sender: ours, senderFrame: { url, parent: null } } })) },
  { weight: 1, arbitrary: foreignUrls.map((url) => ({ kind: 'foreign-origin' as const, event: { sender: ours, senderFrame: { url, parent: null } } })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'subframe' as const, event: { sender: ours, senderFrame: { url: 'app://veildesk/index.html', parent: {} } } }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'no-frame' as const, event: { sender: ours, senderFrame: null } }) },
  { weight: 1, arbitrary: junkValue().map((sender) => ({ kind: 'foreign-contents' as const, event: { sender: { ...(typeof sender === 'object' ? sender : { sender }) }, senderFrame: { url: 'app://veildesk/index.html', parent: null } } })) },
  {
    weight: 1,
    arbitrary: fc.constant(null).map(() => ({
      kind: 'throws' as const,
      event: {
        sender: ours,
        get senderFrame(): never {
          throw new Error('Render frame was disposed before WebFrameMain could be accessed');
        },
      },
    })),
  },
);

/** Values structured clone can carry that JSON cannot: they reach main too. */
const cloneable = fc.oneof(junkValue(), fc.constantFrom<unknown>(undefined, Number.NaN, Infinity, -0, 10n, new Date(0), new Map([['a', 1]]), new Set([1]), new Uint8Array([1, 2]), /re/g, new Error('x')));

type HandlerMode = 'valid' | 'invalid-response' | 'throws' | 'ipc-error';

interface Call {
  channel: IpcChannel;
  sender: { kind: SenderKind; event: InvokeEvent };
  args: unknown[];
  valid: boolean;
  mode: HandlerMode;
  response: unknown;
}

function calls(channel: IpcChannel, seed: number): Call[] {
  const contract = IpcContract[channel];
  const args = fc.oneof(
    { weight: 3, arbitrary: arbitraryFor(contract.request) as fc.Arbitrary<unknown[]> },
    { weight: 3, arbitrary: mutatedFor(contract.request).map((v) => (Array.isArray(v) ? v : [v])) },
    { weight: 2, arbitrary: fc.array(cloneable, { maxLength: 4 }) },
  );
  const mode = fc.constantFrom<HandlerMode>('valid', 'valid', 'valid', 'invalid-response', 'throws', 'ipc-error');
  const call = fc.record({ sender: events, args, mode, response: arbitraryFor(contract.response), junk: cloneable }).map(({ sender, args: list, mode: m, response, junk }) => ({
    channel,
    sender,
    args: list,
    valid: contract.request.safeParse(list).success,
    mode: m,
    // An out-of-contract answer: junk, unless junk happens to fit (then it counts as valid).
    response: m === 'invalid-response' ? junk : response,
  }));
  return draw(call, PER_CHANNEL, seed);
}

describe('IPC fuzzing: the wrapper every handler goes through', () => {
  const stats = new FuzzStats('ipc', SEED);
  afterAll(() => stats.print());

  it(`never throws, refuses foreign senders and invalid arguments before the handler, answers in the contract (${IPC_CHANNELS.length} channels)`, async () => {
    const problems: string[] = [];
    for (const [index, channel] of IPC_CHANNELS.entries()) {
      const contract = IpcContract[channel];
      for (const c of calls(channel, SEED + index)) {
        let received: unknown[] | undefined;
        const handler = (...args: unknown[]) => {
          // The wrapper passes the validated arguments, then the caller (its window), last.
          const caller = args.at(-1) as { sender?: unknown } | undefined;
          if (caller?.sender !== c.sender.event.sender) problems.push(`${channel}: the handler was not told its caller`);
          received = args.slice(0, -1);
          if (c.mode === 'throws') throw new Error('keychain unavailable');
          if (c.mode === 'ipc-error') throw new IpcError('local_key_unavailable', 'The keychain is locked. Unlock it and try again.');
          return c.response;
        };
        const wrapped = wrapIpcHandler(channel, handler as never, policy);
        let result: IpcResult<unknown>;
        try {
          result = await wrapped(c.sender.event, ...c.args);
        } catch (error) {
          problems.push(`${channel}: threw ${String(error)}`);
          continue;
        }
        stats.record(c.valid, result.ok ? 'ok' : result.error.code);
        const where = `${channel} ${c.sender.kind} ${JSON.stringify(c.args, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))?.slice(0, 120)}`;
        if (!result.ok && (!result.error.message || /\n\s+at /.test(result.error.message))) problems.push(`${where}: unclear or leaking message ${result.error.message}`);

        if (c.sender.kind !== 'ours') {
          if (result.ok || result.error.code !== IPC_ERROR.forbidden) problems.push(`${where}: a foreign sender got ${JSON.stringify(result)}`);
          if (received) problems.push(`${where}: the handler ran for a foreign sender`);
          continue;
        }
        if (!c.valid) {
          if (result.ok || result.error.code !== IPC_ERROR.invalidRequest || !result.error.message.startsWith(channel)) problems.push(`${where}: invalid arguments got ${JSON.stringify(result)}`);
          if (received) problems.push(`${where}: the handler ran with invalid arguments`);
          continue;
        }
        if (!received || !contract.request.safeParse(received).success) problems.push(`${where}: the handler got ${JSON.stringify(received)}`);
        const expected =
          c.mode === 'throws' ? IPC_ERROR.failed : c.mode === 'ipc-error' ? 'local_key_unavailable' : contract.response.safeParse(c.response).success ? 'ok' : IPC_ERROR.invalidResponse;
        if ((result.ok ? 'ok' : result.error.code) !== expected) problems.push(`${where}: expected ${expected}, got ${JSON.stringify(result)}`);
      }
    }
    expect(problems.slice(0, 20)).toEqual([]);
    expect(stats.inputs).toBeGreaterThanOrEqual(MIN_INPUTS);
  }, 60_000);
});
