import { describe, expect, it, vi } from 'vitest';
import { getMicrophone } from '../../../../renderer/media/microphone';

const stream = {} as MediaStream;
const named = (name: string) => Object.assign(new Error(name), { name });

describe('the chosen microphone', () => {
  it('asks for exactly the chosen device', async () => {
    const getUserMedia = vi.fn(async () => stream);
    expect(await getMicrophone({ getUserMedia }, 'usb-mic')).toBe(stream);
    expect(getUserMedia).toHaveBeenCalledWith({ audio: { deviceId: { exact: 'usb-mic' } }, video: false });
  });

  it('uses the default microphone when the chosen one is not connected, and says so', async () => {
    const getUserMedia = vi.fn(async (c: MediaStreamConstraints) => {
      if (typeof c.audio === 'object') throw named('OverconstrainedError');
      return stream;
    });
    const onFallback = vi.fn();
    expect(await getMicrophone({ getUserMedia }, 'gone', onFallback)).toBe(stream);
    expect(onFallback).toHaveBeenCalledOnce();
    expect(getUserMedia).toHaveBeenLastCalledWith({ audio: true, video: false });
  });

  it('does not hide a refusal behind the default', async () => {
    const getUserMedia = vi.fn(async () => {
      throw named('NotAllowedError');
    });
    await expect(getMicrophone({ getUserMedia }, 'usb-mic')).rejects.toThrow(/refused/);
    expect(getUserMedia).toHaveBeenCalledOnce();
  });
});
