import { describe, expect, it } from 'vitest';
import { noticeText } from '../../../../renderer/features/monitoring/monitoring-logic';

const l = (username: string) => ({ userId: `u-${username}`, username, displayName: username });

describe("the agent's monitoring notice with whisper and barge", () => {
  it('names who speaks and how, first; the other listeners after; the speaker even when the policy hides listeners', () => {
    expect(noticeText({ interactionId: 'x', listeners: [l('super1')], voice: { mode: 'whisper', speaker: l('super1') } })).toBe('super1 is whispering to you (the customer cannot hear)');
    expect(noticeText({ interactionId: 'x', listeners: [l('super1'), l('super2')], voice: { mode: 'barge', speaker: l('super1') } })).toBe(
      'super1 has joined the call (barge): the customer hears them too; super2 is listening',
    );
    expect(noticeText({ interactionId: 'x', listeners: null, voice: { mode: 'whisper', speaker: l('super1') } })).toBe('super1 is whispering to you (the customer cannot hear)');
    expect(noticeText({ interactionId: 'x', listeners: null, voice: null })).toBeNull();
    expect(noticeText({ interactionId: 'x', listeners: [l('super1')], voice: null })).toBe('super1 is listening');
  });
});
