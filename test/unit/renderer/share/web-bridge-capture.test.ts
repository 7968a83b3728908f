import { describe, expect, it } from 'vitest';
import { createWebBridge } from '../../../../renderer/bridge/web-bridge';

describe('web bridge: screen sharing', () => {
  it('has no source list (the browser picks), accepts a selection, and says it cannot hide itself', async () => {
    const bridge = createWebBridge({ location: { protocol: 'http:', origin: 'http://localhost:4280' }, storage: null });
    expect(await bridge.listCaptureSources?.()).toBeNull();
    await expect(bridge.selectCaptureSource?.('screen:1:0')).resolves.toBeUndefined();
    expect(await bridge.getCaptureProtection?.()).toMatchObject({ ownWindowsHidden: false, reason: expect.stringMatching(/browser/) });
  });
});
