import { describe, expect, it } from 'vitest';
import { initialRinger, type RingerOffer, type RingerState, stepRinger } from '../../../../renderer/features/alerts/ringer-machine';

const call = (id: string, pending: RingerOffer['pending'] = null): RingerOffer => ({ id, kind: 'call', pending });
const chat = (id: string, pending: RingerOffer['pending'] = null): RingerOffer => ({ id, kind: 'chat', pending });

/** Runs the machine over successive offer lists; returns the actions of each step. */
function run(steps: RingerOffer[][], chimeForChats = true) {
  let state: RingerState = initialRinger;
  return steps.map((offers) => {
    const next = stepRinger(state, offers, { chimeForChats });
    state = next.state;
    return next.actions;
  });
}

describe('ringer state machine', () => {
  it('rings from the moment a call offer arrives until it leaves the offers, and never after', () => {
    expect(run([[], [call('c1')], [call('c1')], [], [], []])).toEqual([
      { ring: null, chime: false },
      { ring: 'start', chime: false },
      { ring: null, chime: false },
      { ring: 'stop', chime: false },
      { ring: null, chime: false },
      { ring: null, chime: false },
    ]);
  });

  it.each([['accept'], ['decline']] as const)('stops at the agent’s %s click, before the server answers', (pending) => {
    expect(run([[call('c1')], [call('c1', pending)], []]).map((a) => a.ring)).toEqual(['start', 'stop', null]);
  });

  it('rings again when the server refused the accept and the offer still waits', () => {
    expect(run([[call('c1')], [call('c1', 'accept')], [call('c1')]]).map((a) => a.ring)).toEqual(['start', 'stop', 'start']);
  });

  it('keeps ringing while a second call offer still waits after the first one went', () => {
    expect(run([[call('c1')], [call('c1'), call('c2')], [call('c2')], []]).map((a) => a.ring)).toEqual(['start', null, null, 'stop']);
  });

  it('chimes once per new chat offer, and not at all when the chime is off', () => {
    expect(run([[chat('h1')], [chat('h1')], [chat('h1'), chat('h2')], []]).map((a) => a.chime)).toEqual([true, false, true, false]);
    expect(run([[chat('h1')], [chat('h1'), chat('h2')]], false).map((a) => a.chime)).toEqual([false, false]);
  });

  it('does not chime over a ring, and a chat never rings', () => {
    expect(run([[call('c1')], [call('c1'), chat('h1')]])).toEqual([
      { ring: 'start', chime: false },
      { ring: null, chime: false },
    ]);
    expect(run([[chat('h1')]])[0]?.ring).toBeNull();
  });
});
