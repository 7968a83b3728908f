import { describe, expect, it } from 'vitest';
import { APP_ORIGIN } from '../../../main/app-origin';
import { decidePermission, installPermissionHandlers, type PermissionSession } from '../../../main/permissions';

const appOrigin = APP_ORIGIN;

describe('decidePermission', () => {
  it('grants the microphone to the app origin', () => {
    expect(decidePermission({ permission: 'media', requestingOrigin: appOrigin, appOrigin, mediaTypes: ['audio'] })).toBe(true);
    expect(decidePermission({ permission: 'media', requestingOrigin: `${appOrigin}/index.html`, appOrigin, mediaTypes: ['audio'] })).toBe(true);
  });

  it('never grants the camera, alone or with the microphone, nor a media request naming no device', () => {
    expect(decidePermission({ permission: 'media', requestingOrigin: appOrigin, appOrigin, mediaTypes: ['video'] })).toBe(false);
    expect(decidePermission({ permission: 'media', requestingOrigin: appOrigin, appOrigin, mediaTypes: ['audio', 'video'] })).toBe(false);
    expect(decidePermission({ permission: 'media', requestingOrigin: appOrigin, appOrigin, mediaTypes: [] })).toBe(false);
    expect(decidePermission({ permission: 'media', requestingOrigin: appOrigin, appOrigin })).toBe(false);
  });

  it('denies media to any other origin', () => {
    for (const origin of ['https://evil.example', 'http://localhost:4280', 'app://other', 'file:///', 'null', '', null, undefined]) {
      expect(decidePermission({ permission: 'media', requestingOrigin: origin, appOrigin, mediaTypes: ['audio'] }), String(origin)).toBe(false);
    }
  });

  it('denies everything else, even to the app', () => {
    for (const permission of ['notifications', 'geolocation', 'clipboard-read', 'hid', 'openExternal', 'fullscreen', 'unknown']) {
      expect(decidePermission({ permission, requestingOrigin: appOrigin, appOrigin }), permission).toBe(false);
    }
  });

  it('denies unknown media types and subframes', () => {
    expect(decidePermission({ permission: 'media', requestingOrigin: appOrigin, appOrigin, mediaTypes: ['unknown'] })).toBe(false);
    expect(decidePermission({ permission: 'media', requestingOrigin: appOrigin, appOrigin, mediaTypes: ['audio'], isMainFrame: false })).toBe(false);
  });

  it('grants display-capture to the app main frame only (the source itself is chosen in main/capture)', () => {
    expect(decidePermission({ permission: 'display-capture', requestingOrigin: appOrigin, appOrigin })).toBe(true);
    expect(decidePermission({ permission: 'display-capture', requestingOrigin: appOrigin, appOrigin, isMainFrame: false })).toBe(false);
    expect(decidePermission({ permission: 'display-capture', requestingOrigin: 'https://evil.example', appOrigin })).toBe(false);
  });

  it('can be narrowed back to media only', () => {
    expect(decidePermission({ permission: 'display-capture', requestingOrigin: appOrigin, appOrigin, grantable: new Set(['media']) })).toBe(false);
  });
});

describe('installPermissionHandlers', () => {
  function install() {
    let request: Parameters<PermissionSession['setPermissionRequestHandler']>[0] | undefined;
    let check: Parameters<PermissionSession['setPermissionCheckHandler']>[0] | undefined;
    installPermissionHandlers(
      { setPermissionRequestHandler: (h) => (request = h), setPermissionCheckHandler: (h) => (check = h) },
      appOrigin,
    );
    if (!request || !check) throw new Error('handlers not installed');
    return { request, check };
  }

  it('answers requests through decidePermission', () => {
    const { request } = install();
    const answers: boolean[] = [];
    request(null, 'media', (g) => answers.push(g), { requestingUrl: `${appOrigin}/index.html`, mediaTypes: ['audio'], isMainFrame: true });
    request(null, 'media', (g) => answers.push(g), { requestingUrl: 'https://evil.example/', isMainFrame: true });
    request(null, 'notifications', (g) => answers.push(g), { requestingUrl: `${appOrigin}/`, isMainFrame: true });
    request(null, 'media', (g) => answers.push(g), { requestingUrl: `${appOrigin}/index.html`, mediaTypes: ['video'], isMainFrame: true });
    request(null, 'media', (g) => answers.push(g), { requestingUrl: `${appOrigin}/index.html`, mediaTypes: ['audio', 'video'], isMainFrame: true });
    expect(answers).toEqual([true, false, false, false, false]);
  });

  it('answers checks, refusing foreign embedders', () => {
    const { check } = install();
    expect(check(null, 'media', appOrigin, { mediaType: 'audio', isMainFrame: true })).toBe(true);
    expect(check(null, 'media', appOrigin, { mediaType: 'video', isMainFrame: true })).toBe(false);
    expect(check(null, 'media', appOrigin, { isMainFrame: true })).toBe(false);
    expect(check(null, 'media', 'https://evil.example', { mediaType: 'audio', isMainFrame: true })).toBe(false);
    expect(check(null, 'media', appOrigin, { embeddingOrigin: 'https://evil.example', isMainFrame: false })).toBe(false);
    expect(check(null, 'geolocation', appOrigin, { isMainFrame: true })).toBe(false);
  });
});
