import { describe, expect, it, vi } from 'vitest';
import { privacyHttp } from '../../../../renderer/features/privacy/privacy-api';
import { createPrivacyStore, rectifyProblem } from '../../../../renderer/features/privacy/privacy-store';
import { fakePrivacyServer, match } from './fake-privacy-server';

function setup() {
  const server = fakePrivacyServer();
  const onRequestCreated = vi.fn();
  const onUnauthenticated = vi.fn();
  const store = createPrivacyStore({ http: privacyHttp('http://server.test', 'tok-1', server.fetchImpl), onRequestCreated, onUnauthenticated });
  return { server, store, onRequestCreated, onUnauthenticated };
}

const posted = (server: ReturnType<typeof fakePrivacyServer>) => server.calls.filter((c) => c.method === 'POST').map((c) => c.body);

describe('privacy view: search and actions', () => {
  it('searches with the session by the detected kind and ticks every match', async () => {
    const { server, store } = setup();
    server.state.search = { matches: [match({ interactionId: 'i1' }), match({ interactionId: 'i2', live: true })], elsewhere: [], tookMs: 5 };
    store.getState().setText('Ada@Example.com');
    await store.getState().search();
    expect(server.calls[0]).toMatchObject({ method: 'GET', url: 'http://server.test/api/privacy/subjects?email=ada%40example.com', authorization: 'Bearer tok-1' });
    expect(store.getState().found).toMatchObject({ status: 'ready', searched: { kind: 'email', value: 'ada@example.com' } });
    expect([...store.getState().selected]).toEqual(['i1', 'i2']);
    // The correction form starts from what was searched.
    expect(store.getState().rectify).toMatchObject({ field: 'email', from: 'ada@example.com' });
  });

  it('does not send a search the server would refuse; says what to type', async () => {
    const { server, store } = setup();
    store.getState().setText('x');
    await store.getState().search();
    expect(server.calls).toEqual([]);
    expect(store.getState().found).toEqual({ status: 'error', message: expect.stringMatching(/at least 2 letters/) });
  });

  it('erases only from the open confirmation, with confirm: true, about the identifier typed; the list is refreshed', async () => {
    const { server, store, onRequestCreated } = setup();
    store.getState().setText('ada@example.com');
    await store.getState().search();
    await store.getState().confirmErase();
    expect(posted(server)).toEqual([]);

    store.getState().openErase();
    expect(store.getState().confirmingErase).toBe(true);
    await store.getState().confirmErase();
    expect(posted(server)).toEqual([{ type: 'erase', subject: { email: 'ada@example.com' }, confirm: true }]);
    expect(store.getState().confirmingErase).toBe(false);
    expect(store.getState().notice).toEqual({ tone: 'ok', text: expect.stringMatching(/Erase requested.*Search again to check nothing is left/) });
    // The erased matches are not offered for another action.
    expect(store.getState().found).toEqual({ status: 'idle' });
    expect(store.getState().text).toBe('ada@example.com');
    expect(onRequestCreated).toHaveBeenCalledTimes(1);
  });

  it('with a match unticked, the request names only the ticked interactions', async () => {
    const { server, store } = setup();
    server.state.search = { matches: [match({ interactionId: 'i1' }), match({ interactionId: 'i2' })], elsewhere: [], tookMs: 5 };
    store.getState().setText('Ada Lovelace');
    await store.getState().search();
    store.getState().toggle('i2');
    await store.getState().exportData();
    expect(posted(server)).toEqual([{ type: 'export', subject: { interactionIds: ['i1'] } }]);
  });

  it('a refused erase keeps the confirmation open and shows the server’s reason with a next step', async () => {
    const { server, store } = setup();
    store.getState().setText('ada@example.com');
    await store.getState().search();
    store.getState().openErase();
    server.state.failWith = { status: 409, code: 'conflict', message: 'Interaction i1 is still in progress: erase it once it ends.' };
    await store.getState().confirmErase();
    expect(store.getState().confirmingErase).toBe(true);
    expect(store.getState().notice).toEqual({ tone: 'error', text: expect.stringMatching(/^The erase was not started: Interaction i1 is still in progress.*try again\.$/) });
  });

  it('sends a correction as one replacement and checks it first', async () => {
    const { server, store } = setup();
    store.getState().setText('Ada Lovlace');
    await store.getState().search();
    store.getState().openRectify(true);
    store.getState().setRectify({ to: 'Ada Lovlace' });
    await store.getState().submitRectify();
    expect(posted(server)).toEqual([]);
    expect(store.getState().notice?.text).toMatch(/same as the old one/);

    store.getState().setRectify({ to: 'Ada Lovelace' });
    await store.getState().submitRectify();
    expect(posted(server)).toEqual([{ type: 'rectify', subject: { name: 'Ada Lovlace' }, replacements: [{ field: 'name', from: 'Ada Lovlace', to: 'Ada Lovelace' }] }]);
    expect(store.getState().rectify.open).toBe(false);
    expect(rectifyProblem({ open: true, field: 'text', from: '', to: 'x' })).toMatch(/value to replace/);
    expect(rectifyProblem({ open: true, field: 'text', from: 'x'.repeat(501), to: 'y' })).toMatch(/500 characters/);
  });

  it('an ended session during a search signs out', async () => {
    const { server, store, onUnauthenticated } = setup();
    server.state.failWith = { status: 401, code: 'unauthenticated', message: 'Your session has ended.' };
    store.getState().setText('ada@example.com');
    await store.getState().search();
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);
  });
});
